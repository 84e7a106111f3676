// The command-line program: run() parses argv, decides colour and maps errors to exit codes for
// one run; main() is the only code that touches `process` (argv, environment, streams, signals, exit).

import { readFileSync } from "node:fs";

import type { ChalkInstance } from "chalk";
import { Argument, Command, CommanderError } from "commander";

import type { CliContext, OutputStream } from "./context.js";
import { COMMANDS } from "./commands/command-list.js";
import { COMPLETE_COMMAND } from "./commands/completion.js";
import { configFileFor } from "./config/find.js";
import { describeCause, ExitCode, isWtbhookError, WtbhookError, type ExitCodeValue } from "./errors.js";
import { plainStyle, type Style } from "./format/style.js";
import { processOutput } from "./terminal/process-output.js";
import { terminalSafe } from "./terminal/safe-text.js";

/**
 * wtbhook's version: written into the bundled program by the build (scripts/build.mjs), read from
 * package.json when run from the sources.
 */
function readVersion(): string {
  const bundled = (import.meta as ImportMeta & { readonly wtbhookVersion?: string }).wtbhookVersion;
  if (bundled !== undefined) return bundled;
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** Colour when FORCE_COLOR asks for it, never under NO_COLOR, else only on a terminal. */
export function colourEnabled(stream: OutputStream, env: CliContext["env"]): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  return stream.isTTY === true && env["TERM"] !== "dumb";
}

function styleFrom(c: ChalkInstance): Style {
  return {
    enabled: true,
    red: (t) => c.red(t),
    green: (t) => c.green(t),
    yellow: (t) => c.yellow(t),
    blue: (t) => c.blue(t),
    magenta: (t) => c.magenta(t),
    cyan: (t) => c.cyan(t),
    gray: (t) => c.gray(t),
    bold: (t) => c.bold(t),
    dim: (t) => c.dim(t),
  };
}

/**
 * Colours for stdout and stderr, each decided from its own stream. chalk is loaded only when one of
 * them gets colour, so piped and CI runs do not pay for it at start-up.
 */
async function createStyles(io: RunContext): Promise<CliContext["style"]> {
  const outColour = colourEnabled(io.stdout, io.env);
  const errColour = colourEnabled(io.stderr, io.env);
  if (!outColour && !errColour) return { out: plainStyle, err: plainStyle };
  const { Chalk, default: detected } = await import("chalk");
  const colour = new Chalk({ level: Math.max(detected.level, 1) as 1 | 2 | 3 });
  return { out: outColour ? styleFrom(colour) : plainStyle, err: errColour ? styleFrom(colour) : plainStyle };
}

/** Commands that take no settings, so no --config either. */
const WITHOUT_SETTINGS = new Set(["help", "completion"]);

/** Every command under `command`, depth first. */
function commandsUnder(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...commandsUnder(sub)]);
}

/** True when a WTBHOOK_* variable may set something. */
function hasSettingsInEnv(env: CliContext["env"]): boolean {
  return Object.keys(env).some((name) => name.startsWith("WTBHOOK_"));
}

/**
 * Commands that serve until stopped. Their output goes through Node's streams, which keep what a
 * slow reader has not taken yet: a direct write to a full pipe would stop them answering.
 */
const SERVERS = new Set(["listen", "inspect"]);

/** Commands that look at the others (config describes their settings): they need every command. */
const NEEDS_ALL = new Set(["config"]);

/** `argv` from its first word that is not one of the program's own options. */
function commandWords(argv: readonly string[]): readonly string[] {
  let index = 0;
  // --config FILE before the command is the only program option that goes on to a command.
  while (argv[index] === "--config" || argv[index]?.startsWith("--config=")) index += argv[index] === "--config" ? 2 : 1;
  return argv.slice(index);
}

const isCommand = (name: string | undefined): boolean => COMMANDS.some((entry) => entry.name === name);

/**
 * The one command that `argv` runs, when the program needs no other: the first word after the
 * program's own options, if it names a command. Undefined for the program's help, `help`,
 * `__complete`, a misspelt command (its suggestions name the others) and `config`.
 */
export function commandToRun(argv: readonly string[]): string | undefined {
  const name = commandWords(argv)[0];
  return name !== undefined && !NEEDS_ALL.has(name) && isCommand(name) ? name : undefined;
}

/**
 * The commands whose definitions a run needs when it runs none of them: the one that `help`
 * explains, or every one for `config`. The program's help, a misspelt command and a command's name
 * being completed need the commands' entries alone (command-list.ts).
 */
export function definitionsNeeded(argv: readonly string[]): readonly string[] {
  const [first, second] = commandWords(argv);
  if (first !== undefined && NEEDS_ALL.has(first)) return COMMANDS.map((entry) => entry.name);
  if (first === "help" && isCommand(second)) return [second!];
  return [];
}

/**
 * Builds the commander program; exported for in-process tests. With `only`, the program holds that
 * command alone: commander then builds (and start-up pays for) one command's flags, not all ten.
 * Each command is made from its entry (name, description, arguments); `only` and the commands in
 * `defined` also get the rest of their definition (flags, help, action), which the others' run,
 * the program's help and completing a command's name do not need.
 */
export function createProgram(ctx: CliContext, only?: string, defined: readonly string[] = []): Command {
  const program = new Command();
  program
    .name("wtbhook")
    .description("Develop and test apps that receive Website Toolbox forum webhooks.")
    .version(ctx.version, "-V, --version", "print the version")
    .option(CONFIG_FLAG, CONFIG_HELP)
    .helpOption("-h, --help", "show help")
    // A command of our own rather than commander's: its `help nosuch` printed the program's help
    // and exited 0, as if the command existed.
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      outputError: (text, write) => write(`${ctx.style.err.red("✖")} ${text.replace(/^error: /, "")}`),
      // Commander would look at process.stdout and process.env itself: decide from ctx, as everything else does.
      getOutHelpWidth: () => (ctx.stdout.isTTY && ctx.stdout.columns ? ctx.stdout.columns : 80),
      getErrHelpWidth: () => (ctx.stderr.isTTY && ctx.stderr.columns ? ctx.stderr.columns : 80),
      getOutHasColors: () => ctx.style.out.enabled,
      getErrHasColors: () => ctx.style.err.enabled,
    })
    .addHelpText(
      "after",
      `
Examples:
  $ wtbhook listen --forward-to http://localhost:3000/webhooks
  $ wtbhook send user.created --to http://localhost:3000/webhooks
  $ wtbhook validate events.ndjson --format github

Exit codes: 0 success, 1 something checked or sent failed, 2 wtbhook could not do what was asked,
70 a bug in wtbhook (please report it).`,
    );
  for (const entry of COMMANDS) {
    if (only !== undefined && entry.name !== only) continue;
    const command = program.command(entry.name).description(entry.description);
    for (const [term, description, choices] of entry.arguments) {
      const argument = new Argument(term, description);
      command.addArgument(choices ? argument.choices(choices) : argument);
    }
    if (only !== undefined || defined.includes(entry.name)) entry.register(command, ctx);
  }
  if (only === undefined) registerHelp(program);
  for (const command of commandsUnder(program)) {
    command.exitOverride().configureOutput(program.configureOutput());
    // Also after the command's name: program options there are lost once a flag of the command came first.
    if (!WITHOUT_SETTINGS.has(command.name())) command.option(CONFIG_FLAG, CONFIG_HELP);
  }
  return program;
}

/** The program with every command's whole definition: what `config` and a config file's checks look at. */
export function createWholeProgram(ctx: CliContext): Command {
  return createProgram(
    ctx,
    undefined,
    COMMANDS.map((entry) => entry.name),
  );
}

const CONFIG_FLAG = "--config <file>";
const CONFIG_HELP = "settings file (default: wtbhook.config.json here or in a parent folder, or $WTBHOOK_CONFIG)";

/** `wtbhook help [command]`: the program's help, one command's, or exit 2 for a command that does not exist. */
function registerHelp(program: Command): void {
  program
    .command("help")
    .description("show help for a command")
    .argument("[command]", "the command to explain")
    .action((name: string | undefined) => {
      if (name === undefined) program.help();
      const command = program.commands.find((candidate) => candidate.name() === name || candidate.aliases().includes(name));
      if (!command) {
        const names = program.commands.map((candidate) => candidate.name()).filter((candidate) => candidate !== "help");
        throw new WtbhookError(`unknown command '${name}'`, { code: "unknown-command", hint: `The commands are ${names.join(", ")}.` });
      }
      command.help();
    });
}

/** "--forward-to" for forwardTo. */
function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Where the flag that a message starts with got its value, when not from the command line:
 * "--port" → "WTBHOOK_PORT". The commands name the flag; the person may never have typed it.
 */
function outsideSource(message: string, sources: ReadonlyMap<string, string>): string | undefined {
  const flag = /^(--[a-z][a-z-]*)/.exec(message)?.[1];
  if (flag === undefined) return undefined;
  const source = sources.get(flag);
  return source === undefined || source === flag ? undefined : source;
}

function reportError(error: unknown, ctx: CliContext, sources: ReadonlyMap<string, string> = new Map()): ExitCodeValue {
  if (error instanceof CommanderError) {
    // Commander already printed its one line; help and --version are successes.
    // `wtbhook` with no command prints the help as an error (commander's exit code 1): usage.
    const quiet = ["commander.helpDisplayed", "commander.help", "commander.version", "commander.executeSubCommandAsync"];
    return quiet.includes(error.code) && error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  const mark = ctx.style.err.red("✖");
  if (isWtbhookError(error) && error.code !== "internal") {
    // Messages quote what came from outside (file names, types, a corrupt line): never obeyed.
    ctx.stderr.write(`${mark} ${terminalSafe(error.message)}\n`);
    if (error.hint) ctx.stderr.write(`  ${ctx.style.err.dim(terminalSafe(error.hint))}\n`);
    const source = outsideSource(error.message, sources);
    if (source) ctx.stderr.write(`  ${ctx.style.err.dim(terminalSafe(`(that value came from ${source})`))}\n`);
    return error.exitCode;
  }
  // A bug (not one of ours, or one we knew cannot happen): still one line, but say it is a bug so
  // it gets reported, with its own exit code: 2 would blame the user's command line.
  ctx.stderr.write(`${mark} internal error: ${terminalSafe(describeCause(error))}\n`);
  ctx.stderr.write(`  ${ctx.style.err.dim("This is a bug in wtbhook; set WTBHOOK_DEBUG=1 for the stack trace.")}\n`);
  if (ctx.env["WTBHOOK_DEBUG"]) ctx.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  return ExitCode.internal;
}

/** What run() takes from the world outside; main() builds it from `process`, tests from strings. */
export interface RunContext {
  /** The environment: WTBHOOK_*, proxies, NGROK_AUTHTOKEN, and the colour inputs (FORCE_COLOR, NO_COLOR, TERM). */
  env: CliContext["env"];
  /** Relative paths in flags and arguments are relative to this folder. */
  cwd: string;
  stdin: CliContext["stdin"];
  /** Data. Colour is used only when its `isTTY` is true (or FORCE_COLOR says so). */
  stdout: OutputStream;
  /** Status and diagnostics; its colour is decided on its own. */
  stderr: OutputStream;
  /** Aborting it stops the running command as Ctrl+C does. Read only by the commands that stop on it (main() makes it on first use). */
  signal: AbortSignal;
  /**
   * Called when the command asks for the process to end once output is flushed, even with handles
   * still open (main() then exits). @default ignored
   */
  exitWhenDone?: () => void;
}

/**
 * Runs wtbhook once with the user's arguments (argv without `node` and the script) and resolves
 * with the exit code. It reads nothing from `process` and never exits: main() does that, and
 * tests call run() in-process.
 */
export async function run(argv: readonly string[], io: RunContext): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.ok;
  /** Where each setting of the command being run came from, by flag: "--to" → "WTBHOOK_TO". */
  const sources = new Map<string, string>();
  const ctx: CliContext = {
    version: readVersion(),
    env: io.env,
    cwd: io.cwd,
    get stdin() {
      return io.stdin;
    },
    stdout: io.stdout,
    stderr: io.stderr,
    style: await createStyles(io),
    get signal() {
      return io.signal;
    },
    exitWhenDone: () => io.exitWhenDone?.(),
    setExitCode: (value) => {
      code = value;
    },
    sourceOf: (key) => sources.get(flagOf(key)) ?? flagOf(key),
  };
  try {
    // Answered before commander parses: the words are the shell's, half-typed flags included. Once
    // a command's name is complete (a word follows it), its flags and values need it alone.
    const completing = argv[0] === COMPLETE_COMMAND;
    const words = completing ? argv.slice(1, -1) : argv;
    const only = commandToRun(words);
    const defined = only === undefined ? definitionsNeeded(words) : [];
    const program = createProgram(ctx, only, defined);
    // A config file may hold any command's settings, and is checked against them all.
    let whole: Command | undefined;
    const wholeProgram = (): Command =>
      only === undefined && defined.length === COMMANDS.length ? program : (whole ??= createWholeProgram(ctx));
    if (completing) {
      const { completionLines } = await import("./commands/complete-words.js");
      ctx.stdout.write(completionLines(program, argv.slice(1)));
      return ExitCode.ok;
    }
    const locate = (command: Command): string | undefined => configFileFor(command, ctx.cwd, ctx.env);
    // The help shows the values that the environment or a config file sets, when there may be some.
    const helpAsked = argv.includes("--help") || argv.includes("-h") || argv[0] === "help";
    const configNamed = argv.some((word) => word === "--config" || word.startsWith("--config="));
    if (helpAsked && (configNamed || hasSettingsInEnv(ctx.env) || locate(program) !== undefined)) {
      const { settingsHelp } = await import("./commands/settings.js");
      const help = settingsHelp(ctx, locate, wholeProgram());
      for (const command of [program, ...commandsUnder(program)]) command.configureHelp(help);
    }
    // WTBHOOK_* variables and the config file fill in the flags not given, before the command runs.
    program.hook("preAction", async (_program, action) => {
      const file = locate(action);
      if (file === undefined && !hasSettingsInEnv(ctx.env)) return;
      const [{ applySettings, showPath }, { describeSource }] = await Promise.all([
        import("./commands/settings.js"),
        import("./config/settings.js"),
      ]);
      for (const setting of applySettings(action, ctx, file, wholeProgram())) {
        if (setting.source.kind !== "default")
          sources.set(
            setting.flag.flag,
            describeSource(setting, (path) => showPath(ctx.cwd, path)),
          );
      }
    });
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    return reportError(error, ctx, sources);
  }
}

function waitForDrain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write("", () => resolve());
  });
}

/**
 * The process around run(): argv, environment and streams from `process`; the first SIGINT or
 * SIGTERM aborts the command, a second one exits 130 at once; sets process.exitCode.
 */
export async function main(): Promise<void> {
  // Made when first asked for, or at the first signal: an AbortController (Node's EventTarget
  // behind it) is a quarter of a millisecond of every start, and --help, __complete and
  // `send --dry-run` never look at it.
  let controller: AbortController | undefined;
  let signals = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) process.exit(130);
    (controller ??= new AbortController()).abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // A reader that goes away (`| head`, `2>&1 | head`) is not an error worth a stack trace; for
  // stderr it was an uncaught error, exit 1, in the middle of a run.
  const onBrokenPipe = (): never => process.exit(process.exitCode ?? 0);
  const onOpen = (stream: NodeJS.WriteStream): void => {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") onBrokenPipe();
    });
  };
  const argv = process.argv.slice(2);
  const server = SERVERS.has(commandToRun(argv) ?? "");
  const stdout = processOutput(1, { open: () => process.stdout, onOpen, onBrokenPipe, direct: !server });
  const stderr = processOutput(2, { open: () => process.stderr, onOpen, onBrokenPipe, direct: !server });

  let exitWhenDone = false;
  const code = await run(argv, {
    env: process.env,
    cwd: process.cwd(),
    // Opened on first use (validate -, send --data -, listen's keys), not at every start.
    get stdin() {
      return process.stdin;
    },
    stdout,
    stderr,
    get signal() {
      return (controller ??= new AbortController()).signal;
    },
    exitWhenDone: () => {
      exitWhenDone = true;
    },
  });
  process.exitCode = code;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  // A command other than a server is done when run() resolves. Exiting then, once what was written
  // has drained, spares the teardown of V8's heap and threads that a process ending by itself
  // waits for (on Node 22, `send --dry-run` took 42-46 ms instead of 52-57, measured with
  // `perf stat`), and no handle left open by a library can keep the process alive.
  if (exitWhenDone || !server) {
    await Promise.all([stdout.opened(), stderr.opened()].map((stream) => (stream ? waitForDrain(stream) : Promise.resolve())));
    process.exit(code);
  }
}
