// Makes text that came from a payload or a remote server safe to print on a terminal.

/**
 * Characters a terminal would obey, or that hide, fake or reorder what is shown, beyond the C0
 * controls: DEL and the C1 controls; the line and paragraph separators; the bidirectional marks,
 * embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069); and
 * the invisible zero-width characters (U+200B–U+200D, U+2060, U+FEFF). The one list of them: every
 * escaper of outside text uses it.
 */
const UNSAFE_BEYOND_C0 = "\\u007f-\\u009f\\u061c\\u200b-\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff";

const UNSAFE_CHAR = new RegExp(`[${UNSAFE_BEYOND_C0}]`);
// All but tab among the C0 controls, then the rest.
const UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f${UNSAFE_BEYOND_C0}]`, "g");
const UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_BEYOND_C0}]`, "g");

/** True for a code point that must never reach a terminal raw (C0 controls included). */
export function isUnsafeCodePoint(code: number): boolean {
  return code < 0x20 || UNSAFE_CHAR.test(String.fromCodePoint(code));
}

/** `\\uXXXX` for every unsafe character beyond C0 in JSON text (inside strings, where JSON allows them raw). */
export function escapeUnsafeInJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The visible escape of one unsafe character: `\n`, `\e`, `\x07`, `\u202e`. */
export function escapeChar(char: string): string {
  switch (char) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\u001b":
      return "\\e";
    default: {
      const code = char.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
    }
  }
}

/**
 * Shows control characters and escape sequences as visible escapes (`\e[2J`, `\n`, `\x07`),
 * so a payload can never clear the screen, retitle the window or fake a line.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** terminalSafe, cut to at most `max` characters with an ellipsis. */
export function terminalSafeTruncated(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return terminalSafe(cut);
}
