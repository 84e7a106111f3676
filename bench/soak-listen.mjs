// Soak of `listen --record`'s promise: an event answered 2xx is in the recording, whole. Kills
// listen (SIGKILL) at random moments under load, restarting it on the same file each time; then
// does the same on a small disk that fills up (a tmpfs, where this machine lets us mount one);
// then measures listen's peak and settled memory under 400 senders of 1 MiB bodies at once.
// Prints the counts (the goal is 0 lost or incomplete) and the memory figures. Not a test: run it
// by hand after changing the receiver or the recording.
//
//   node bench/soak-listen.mjs [--rounds 12] [--senders 12] [--memory-runs 3]   (needs npm run build)
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { Agent, request } from "undici";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const rounds = arg("rounds", 12);
const senders = arg("senders", 12);
const memoryRuns = arg("memory-runs", 3);
const fixture = JSON.parse(readFileSync(join(root, "fixtures", "user.created.json"), "utf8"));

/** An event with its own id; every fifth one carries a 200 KB signature, so that kills land mid-write. */
function eventBody(id) {
  const event = { ...fixture, id, data: { ...fixture.data, object: { ...fixture.data.object } } };
  if (id % 5 === 0) event.data.object.signature = "s".repeat(200_000);
  return JSON.stringify(event);
}

/** Starts `listen` and resolves with the child and its URL once it is ready. */
function startListen(args) {
  const child = spawn(process.execPath, [join(root, "bin", "wtbhook.cjs"), "listen", "-p", "0", ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
      const ready = /Ready! Listening on (\S+)/.exec(stderr);
      if (ready) resolve({ child, url: ready[1], stderr: () => stderr });
    });
    child.on("exit", (code) => reject(new Error(`listen exited (${code}) before it was ready:\n${stderr}`)));
  });
}

const exited = (child) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", r));

/** Posts events with fresh ids until `stop()` says so or the connection fails; returns the ids answered 2xx. */
async function load(url, nextId, stopped) {
  const agent = new Agent({ connections: senders });
  const acked = [];
  let answered = 0;
  const sender = async () => {
    while (!stopped()) {
      const id = nextId();
      try {
        const response = await request(url, { method: "POST", body: eventBody(id), dispatcher: agent });
        await response.body.dump();
        answered++;
        if (response.statusCode >= 200 && response.statusCode < 300) acked.push(id);
      } catch {
        return; // killed: the connection is gone
      }
    }
  };
  await Promise.all(Array.from({ length: senders }, sender));
  await agent.destroy();
  return { acked, answered };
}

/** What a recording holds: the ids of its whole lines, and how many lines are incomplete. */
function readRecording(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { ids: new Set(), incomplete: 0, lines: 0 };
  }
  const ids = new Set();
  let incomplete = 0;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    try {
      const entry = JSON.parse(line);
      if (typeof entry.id === "number") ids.add(entry.id);
    } catch {
      incomplete++;
    }
  }
  return { ids, incomplete, lines: lines.length };
}

/** Kill rounds on one recording path; returns the totals. */
async function killRounds(record, { label, beforeRound } = {}) {
  let id = 1;
  const totals = { acked: 0, lost: 0, rounds: 0, kills: 0, refused: 0 };
  for (let round = 1; round <= rounds; round++) {
    beforeRound?.(round);
    const listen = await startListen(["--json", "--record", record]);
    let killed = false;
    const delay = 100 + Math.floor(Math.random() * 1_400);
    const timer = setTimeout(() => {
      killed = true;
      listen.child.kill("SIGKILL");
    }, delay);
    const { acked, answered } = await load(
      listen.url,
      () => id++,
      () => killed,
    );
    clearTimeout(timer);
    await exited(listen.child);
    const { ids, incomplete } = readRecording(record);
    const lost = acked.filter((ackedId) => !ids.has(ackedId));
    totals.acked += acked.length;
    totals.lost += lost.length;
    totals.refused += answered - acked.length;
    totals.rounds++;
    totals.kills += killed ? 1 : 0;
    process.stderr.write(
      `${label} round ${round}: killed after ${delay} ms, ${acked.length} answered 2xx, ${answered - acked.length} answered otherwise, ${lost.length} of them missing, ${incomplete} incomplete line(s) in the file\n`,
    );
  }
  return { ...totals, final: readRecording(record) };
}

function mountTmpfs(bytes) {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-soak-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir], { stdio: "pipe" });
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skipped: (error.stderr?.toString() || error.message).trim() };
  }
}

/** Peak and settled RSS of listen under 400 senders of one 1 MiB − 1 byte event each, at once. */
async function memoryRun() {
  const dir = mkdtempSync(join(tmpdir(), "wtbhook-soak-mem-"));
  try {
    const listen = await startListen(["--json", "--record", join(dir, "rec.ndjson")]);
    const status = () => readFileSync(`/proc/${listen.child.pid}/status`, "utf8");
    const mb = (field) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())[1]) / 1024);
    const before = mb("VmRSS");
    const agent = new Agent({ connections: 400 });
    const head = '{"type":"user.created","id":';
    const statuses = {};
    await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const start = `${head}${i},"pad":"`;
        const body = Buffer.from(`${start}${"a".repeat(1024 * 1024 - 1 - start.length - 2)}"}`);
        try {
          const response = await request(listen.url, { method: "POST", body, dispatcher: agent });
          await response.body.dump();
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        } catch (error) {
          statuses[error.code] = (statuses[error.code] ?? 0) + 1;
        }
      }),
    );
    await agent.destroy();
    const peak = mb("VmHWM");
    const after = mb("VmRSS");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const settled = mb("VmRSS");
    listen.child.kill("SIGTERM");
    await exited(listen.child);
    return { before, peak, after, settled, statuses };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];

// 1. Kills under load, on an ordinary disk.
const dir = mkdtempSync(join(tmpdir(), "wtbhook-soak-"));
try {
  const kills = await killRounds(join(dir, "rec.ndjson"), { label: "kill" });
  results.push(
    `kills:       ${kills.kills} SIGKILLs under load in ${kills.rounds} rounds, ${kills.acked} events answered 2xx, ${kills.lost} missing or incomplete in the recording; ${kills.final.incomplete} incomplete line(s) left by the kills (each ended on restart)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// 2. Kills on a small disk that fills up: a tmpfs of 1 MiB, partly taken by a filler file of
// random size before each round, with a fresh recording each round.
const disk = mountTmpfs(1024 * 1024);
if (typeof disk === "string") {
  try {
    const record = join(disk, "rec.ndjson");
    const full = await killRounds(record, {
      label: "full disk",
      beforeRound: () => {
        rmSync(record, { force: true });
        rmSync(join(disk, "filler"), { force: true });
        writeFileSync(join(disk, "filler"), Buffer.alloc(Math.floor(Math.random() * 900 * 1024)));
      },
    });
    results.push(
      `full disk:   ${full.kills} SIGKILLs in ${full.rounds} rounds on a 1 MiB tmpfs that fills up, ${full.acked} events answered 2xx, ${full.refused} answered otherwise (500 once the disk is full), ${full.lost} missing or incomplete in the recording`,
    );
  } finally {
    execFileSync("umount", ["-l", disk]);
    rmSync(disk, { recursive: true, force: true });
  }
} else {
  results.push(`full disk:   skipped, no tmpfs can be mounted here (${disk.skipped})`);
}

// 3. Memory under 400 × 1 MiB bodies at once.
const runs = [];
for (let run = 1; run <= memoryRuns; run++) {
  const result = await memoryRun();
  runs.push(result);
  process.stderr.write(
    `memory run ${run}: RSS ${result.before} MB before, peak ${result.peak} MB, ${result.after} MB right after, ${result.settled} MB 3 s later; answers ${JSON.stringify(result.statuses)}\n`,
  );
}
results.push(
  `memory:      400 senders × 1 MiB − 1 byte at once, median of ${memoryRuns} runs: RSS ${median(runs.map((r) => r.before))} MB before, peak ${median(runs.map((r) => r.peak))} MB, ${median(runs.map((r) => r.settled))} MB 3 s after the burst`,
);

console.log(results.join("\n"));
