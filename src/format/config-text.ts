// `wtbhook config`'s report: the config file in use, then each command's settings with their
// values and where each came from. Pure: data in, text out.
import type { Style } from "./style.js";
import { terminalSafe } from "../terminal/safe-text.js";

export interface SettingLine {
  /** The flag as typed: --forward-to. */
  flag: string;
  /** As the command gets it: a string, a list, true/false; undefined when not set. */
  value: string | number | boolean | readonly string[] | undefined;
  /** For a `--no-x` switch set by the environment or the file: the setting as they name it ("validate: false"). */
  setting?: string | undefined;
  /** flag, env, file or default. */
  kind: "flag" | "env" | "file" | "default";
  /** The variable (WTBHOOK_PORT) or the file's place (wtbhook.config.json:3 listen.port); "" for flag and default. */
  source: string;
  /** Shown as "(hidden)" when set: tokens and passwords. */
  secret: boolean;
}

export interface ConfigReport {
  /** The config file as shown, or undefined when there is none. */
  file: string | undefined;
  /** The folder the search for wtbhook.config.json started from, for the "none found" line. */
  searchedFrom: string;
  commands: { name: string; settings: SettingLine[] }[];
  /** Only the settings that do not come from the default (the overview of every command). */
  onlySet: boolean;
  /** WTBHOOK_* variables that nothing reads, with the one probably meant. */
  ignored?: readonly { name: string; meant: string | undefined }[];
}

/** A URL's password as ***, so that a report can be pasted into an issue. */
function hidePassword(text: string): string {
  if (!/^https?:\/\/[^/]*@/i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password !== "") url.password = "***";
    return url.href;
  } catch {
    return text;
  }
}

function showValue(line: SettingLine): string {
  const value = line.value;
  if (value === undefined) return "(not set)";
  if (line.secret) return "(hidden)";
  if (Array.isArray(value)) return value.map((item) => hidePassword(String(item))).join(", ");
  if (line.setting !== undefined) return `${String(value)} (${line.setting})`;
  return hidePassword(String(value));
}

export function formatConfigReport(report: ConfigReport, style: Style): string {
  const file =
    report.file === undefined
      ? style.dim(`none (no wtbhook.config.json in ${terminalSafe(report.searchedFrom)} or above)`)
      : terminalSafe(report.file);
  let text = `${style.bold("Config file:")} ${file}\n`;
  for (const command of report.commands) {
    const lines = command.settings.filter((line) => !report.onlySet || line.kind !== "default");
    if (lines.length === 0) continue;
    const flagWidth = Math.max(...lines.map((line) => line.flag.length));
    const values = lines.map((line) => terminalSafe(showValue(line)));
    const valueWidth = Math.min(40, Math.max(...values.map((value) => value.length)));
    text += `\n${style.bold(command.name)}\n`;
    lines.forEach((line, i) => {
      const value = values[i]!.padEnd(valueWidth);
      const source = terminalSafe(`${line.kind} ${line.source}`.trim());
      const shownValue = line.value === undefined ? style.dim(value) : value;
      text += `  ${line.flag.padEnd(flagWidth)}  ${shownValue}  ${line.kind === "default" ? style.dim(source) : style.cyan(source)}\n`;
    });
  }
  if (report.onlySet && !report.commands.some((command) => command.settings.some((line) => line.kind !== "default"))) {
    text += `\n${style.dim("Every setting has its default (no WTBHOOK_* variable, nothing in a config file).")}\n`;
  }
  const ignored = (report.ignored ?? []).map(({ name, meant }) => {
    const guess = meant === undefined ? "" : ` (did you mean ${meant}?)`;
    return `${style.yellow("!")} ${terminalSafe(name)} is not a setting of any command and is ignored${terminalSafe(guess)}\n`;
  });
  if (ignored.length > 0) text += `\n${ignored.join("")}`;
  return text;
}
