// Every command by its name, its line in the program's help and its arguments: the one home of
// each. What a command adds to that (its flags, help text, action and subcommands) is its
// module's registration, which createProgram() runs only where the program needs it: for the
// command being run, for `help <command>`, and for runs that look at every command (`config`, a
// config file's checks). The program's help, a misspelt command and completing a command's name
// need this list alone, so that they do not build ten commands' flags (0.7 to 1 ms of `--help`
// on Node 22). The registrations stay in the program's file: loading each from a file of its own
// cost `validate` more than it saved.

import type { Command } from "commander";

import { SHELLS } from "../completion/scripts.js";
import type { CliContext } from "../context.js";
import { registerCheck } from "./check.js";
import { registerCompletion } from "./completion.js";
import { registerConfig } from "./config.js";
import { registerDrift } from "./drift.js";
import { registerFixtures } from "./fixtures.js";
import { registerInspect } from "./inspect.js";
import { registerListen } from "./listen.js";
import { registerSchemas } from "./schemas.js";
import { registerSend } from "./send.js";
import { registerValidate } from "./validate.js";

/** What a command's module adds to the command that createProgram() made from its entry. */
export type Register = (command: Command, ctx: CliContext) => void;

export interface CommandEntry {
  readonly name: string;
  /** Its line in the program's help (and its own help's first line). */
  readonly description: string;
  /** Its arguments as commander takes them: the term, its description, the values it may take. */
  readonly arguments: readonly (readonly [term: string, description: string, choices?: readonly string[]])[];
  /** What its module adds to it. */
  readonly register: Register;
}

/** Every command, in the order of the program's help. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "listen",
    description: "Receive webhook events: show, check, forward and record them",
    arguments: [],
    register: registerListen,
  },
  {
    name: "inspect",
    description: "Open the inspector (web page and API) over recordings, without listening",
    arguments: [["<recordings...>", "files written by listen --record (or NDJSON of events)"]],
    register: registerInspect,
  },
  {
    name: "send",
    description: "Deliver events to your webhook endpoint exactly as Website Toolbox would.",
    arguments: [["[types...]", "event types to send (fixtures), e.g. user.created"]],
    register: registerSend,
  },
  {
    name: "validate",
    description: "Check webhook events (files, folders, NDJSON, stdin) against the Website Toolbox schemas.",
    arguments: [["<paths...>", "files or directories of events; - reads standard input"]],
    register: registerValidate,
  },
  {
    name: "check",
    description: "Check that your endpoint handles what Website Toolbox will send: a suite of real deliveries, judged by its rules.",
    arguments: [],
    register: registerCheck,
  },
  {
    name: "drift",
    description: "Compare real events (listen recordings, NDJSON, event files) with the catalogue's schemas.",
    arguments: [["<paths...>", "recordings, event files or folders; - reads standard input"]],
    register: registerDrift,
  },
  {
    name: "schemas",
    description: "Show how sure we are of each event type, or print or write the JSON Schemas.",
    arguments: [["[type]", "an event type, such as user.created"]],
    register: registerSchemas,
  },
  {
    name: "fixtures",
    description: "List the event types, print the example event (fixture) of one type, or import real events as fixtures.",
    arguments: [["[type]", "an event type, such as post.created"]],
    register: registerFixtures,
  },
  {
    name: "config",
    description: "Show the effective settings and where each comes from (flag, environment, config file, default).",
    // One variadic argument: "config [command] [flags...]" was too wide for the program's help.
    arguments: [["[command...]", "one command (all its settings, defaults included), then its flags as you would give them"]],
    register: registerConfig,
  },
  {
    name: "completion",
    description: "Print the shell completion script for bash, zsh or fish.",
    arguments: [["<shell>", "the shell", SHELLS]],
    register: registerCompletion,
  },
];
