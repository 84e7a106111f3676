// `wtbhook config [command] [flags…]`: the config file in use and the value of each setting with
// where it came from (flag, environment, file, default); flags given after the command count as flags.
import type { Command } from "commander";

import { configFileFor } from "../config/find.js";
import type { CliContext } from "../context.js";
import { ExitCode, WtbhookError } from "../errors.js";
import type { SettingLine } from "../format/config-text.js";

const EXAMPLES = `
Examples:
  $ wtbhook config                                every setting that does not have its default
  $ wtbhook config listen                         all of listen's settings
  $ wtbhook config send --to http://localhost:3000/webhooks
  $ wtbhook config --config ci.config.json check

Precedence: flag, then WTBHOOK_<FLAG> (WTBHOOK_FORWARD_TO, WTBHOOK_PORT, ...), then the config
file (the command's section, then the top), then the default.`;

const SECRET = /token|secret|password/i;

export function registerConfig(command: Command, ctx: CliContext): void {
  // The program, whose every command it describes: createProgram() builds them all for `config`.
  const program = command.parent!;
  command
    .allowUnknownOption()
    .addHelpText("after", EXAMPLES)
    .action(async (words: string[], _flags: unknown, self: Command) => {
      const [name, ...args] = words;
      const [{ commandSettings, loadConfig, showPath }, { formatConfigReport }, { flagReading, unknownVariables }, { describeCommand }] =
        await Promise.all([
          import("./settings.js"),
          import("../format/config-text.js"),
          import("../config/settings.js"),
          import("./command-spec.js"),
        ]);
      const file = loadConfig(configFileFor(self, ctx.cwd, ctx.env), self, ctx);
      let targets = program.commands.filter((command) => command.options.some((option) => option.attributeName() !== "config"));
      let rest = args;
      if (name !== undefined) {
        let target = program.commands.find((command) => command.name() === name);
        if (!target) {
          throw new WtbhookError(`unknown command '${name}'`, {
            code: "unknown-command",
            hint: `The commands are ${targets.map((c) => c.name()).join(", ")}.`,
          });
        }
        // A command of the command (fixtures import) is the one meant.
        while (rest[0] !== undefined && target.commands.some((sub) => sub.name() === rest[0])) {
          target = target.commands.find((sub) => sub.name() === rest[0])!;
          rest = rest.slice(1);
        }
        const { unknown } = target.parseOptions(rest);
        if (unknown.length > 0) throw new WtbhookError(`${name}: unknown option '${unknown[0]}'`, { code: "bad-flag" });
        targets = [target];
      }
      const show = (path: string): string => showPath(ctx.cwd, path);
      const report = formatConfigReport(
        {
          file: file === undefined ? undefined : show(file.path),
          searchedFrom: ctx.cwd,
          onlySet: name === undefined,
          ignored: unknownVariables(describeCommand(program, []), ctx.env),
          commands: targets
            .flatMap((command) => [command, ...command.commands])
            .map((command) => ({
              name: commandName(command),
              settings: commandSettings(command, ctx, file).map((setting) => {
                const { flag, source } = setting;
                const reading = flagReading(setting);
                return {
                  flag: flag.flag,
                  // A switch nobody set is off.
                  value: (reading.value === undefined && flag.kind === "boolean" ? false : reading.value) as SettingLine["value"],
                  setting: reading.named && `${reading.named.key}: ${String(reading.named.value)}`,
                  kind: source.kind,
                  source:
                    source.kind === "env" ? source.name : source.kind === "file" ? `${show(source.path)}:${source.line} ${source.key}` : "",
                  secret: SECRET.test(flag.key),
                };
              }),
            })),
        },
        ctx.style.out,
      );
      ctx.stdout.write(report);
      ctx.setExitCode(ExitCode.ok);
    });
}

function commandName(command: Command): string {
  return command.parent?.parent ? `${commandName(command.parent)} ${command.name()}` : command.name();
}
