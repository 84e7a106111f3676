// `wtbhook completion <shell>` prints the script to source; `wtbhook __complete <words…>` (hidden,
// answered by cli.ts before commander parses anything) prints the candidates, one per line.
import { Argument, type Command } from "commander";

import { completionScript, SHELLS, type Shell } from "../completion/scripts.js";
import type { CliContext } from "../context.js";

/** The hidden command the scripts call. */
export const COMPLETE_COMMAND = "__complete";

const EXAMPLES = `
Examples:
  $ source <(wtbhook completion bash)                  this shell only
  $ wtbhook completion bash > ~/.local/share/bash-completion/completions/wtbhook
  $ wtbhook completion zsh > ~/.zsh/completions/_wtbhook   (that folder in $fpath, before compinit)
  $ wtbhook completion fish > ~/.config/fish/completions/wtbhook.fish

Tab then completes commands, flags, event types, scenario names, check ids, formats and file names.`;

export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command("completion")
    .description("Print the shell completion script for bash, zsh or fish.")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText("after", EXAMPLES)
    .action((shell: Shell) => {
      ctx.stdout.write(completionScript(shell));
    });
}

/** The lines `wtbhook __complete <words…>` prints for the program (its code is loaded for it alone). */
export async function completionLines(program: Command, words: readonly string[]): Promise<string> {
  const [{ complete }, { describeCommand }] = await Promise.all([import("../completion/complete.js"), import("./command-spec.js")]);
  const candidates = complete(describeCommand(program, []), words.length === 0 ? [""] : words);
  return candidates.map((candidate) => `${candidate}\n`).join("");
}
