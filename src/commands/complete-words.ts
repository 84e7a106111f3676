// `wtbhook __complete <words…>`: the candidates for the word being completed, one per line. Loaded
// for that alone: it reads the program's definition and the name lists, nothing else.
import type { Command } from "commander";

import { complete } from "../completion/complete.js";
import { describeCommand } from "./command-spec.js";

/** The lines `wtbhook __complete <words…>` prints for the program. */
export function completionLines(program: Command, words: readonly string[]): string {
  const candidates = complete(describeCommand(program, []), words.length === 0 ? [""] : words);
  return candidates.map((candidate) => `${candidate}\n`).join("");
}
