// Makes text that came from a payload or a remote server safe to print on a terminal.

// C0 controls (but tab), DEL, C1 controls, and the Unicode line/paragraph separators and
// bidirectional overrides that could fake or reorder what the user sees.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(char: string): string {
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
