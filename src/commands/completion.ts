// `wtbhook completion <shell>` prints the script to source. The scripts call the hidden
// `wtbhook __complete <words…>` (complete-words.ts), which cli.ts answers before commander parses anything.
import type { Command } from "commander";

import { completionScript, type Shell } from "../completion/scripts.js";
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

export function registerCompletion(command: Command, ctx: CliContext): void {
  command.addHelpText("after", EXAMPLES).action((shell: Shell) => {
    ctx.stdout.write(completionScript(shell));
  });
}
