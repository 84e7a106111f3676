// Writes a large NDJSON file of events made from the fixtures, every `invalidEvery`-th one broken.
import { once } from "node:events";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Compact lines of every fixture, and a broken copy of each (a string id, a missing field). */
export function fixtureLines(root) {
  const dir = join(root, "fixtures");
  const good = [];
  const bad = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const event = JSON.parse(readFileSync(join(dir, name), "utf8"));
    good.push(JSON.stringify(event));
    const broken = structuredClone(event);
    broken.id = String(broken.id);
    delete broken.data.object.object;
    bad.push(JSON.stringify(broken));
  }
  return { good, bad };
}

/**
 * Writes `count` events (or events up to `bytes`) to `path`, streaming, ids renumbered.
 * Returns { events, invalid, bytes }.
 */
export async function writeNdjson(root, path, { count = Infinity, bytes = Infinity, invalidEvery = 100 } = {}) {
  const { good, bad } = fixtureLines(root);
  const out = createWriteStream(path);
  let events = 0;
  let invalid = 0;
  let written = 0;
  let batch = "";
  while (events < count && written < bytes) {
    const broken = invalidEvery > 0 && events % invalidEvery === invalidEvery - 1;
    const pool = broken ? bad : good;
    const line = `${pool[events % pool.length]}\n`;
    if (broken) invalid++;
    events++;
    written += Buffer.byteLength(line);
    batch += line;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, "drain");
      batch = "";
    }
  }
  out.end(batch);
  await once(out, "finish");
  return { events, invalid, bytes: written };
}
