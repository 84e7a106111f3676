// JSON text laid out one value per line, its tokens exactly as written (big numbers, escapes and
// key order kept), with the JSON Pointer of each line, so that schema problems can be marked there.

export interface Token {
  kind: "key" | "string" | "number" | "literal" | "punct";
  text: string;
}

export interface PrettyLine {
  depth: number;
  /** The pointer of the value that starts on this line (or that this line closes). */
  pointer: string;
  tokens: Token[];
}

export interface PrettyJson {
  lines: PrettyLine[];
  /** The line where each value starts, by pointer. */
  lineOf: Map<string, number>;
}

class NotJson extends Error {}

/** A JSON Pointer token: `~` and `/` escaped (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Lays out valid JSON text. Returns undefined when the text is not JSON, nests deeper than
 * `maxDepth`, or would take more than `maxLines` lines (the raw view shows those).
 */
export function prettyJson(text: string, maxLines = 50_000, maxDepth = 200): PrettyJson | undefined {
  const lines: PrettyLine[] = [];
  const lineOf = new Map<string, number>();
  let i = 0;
  const space = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const newLine = (depth: number, pointer: string, tokens: Token[]): void => {
    if (lines.length >= maxLines) throw new NotJson("too long");
    lines.push({ depth, pointer, tokens });
  };
  const append = (token: Token): void => {
    lines[lines.length - 1]!.tokens.push(token);
  };
  const stringEnd = (): number => {
    let j = i + 1;
    while (j < text.length) {
      const c = text[j]!;
      if (c === "\\") j += 2;
      else if (c === '"') return j + 1;
      else j++;
    }
    throw new NotJson("unterminated string");
  };
  const value = (pointer: string, depth: number, prefix: Token[]): void => {
    if (depth > maxDepth) throw new NotJson("too deep");
    space();
    const c = text[i];
    lineOf.set(pointer, lines.length);
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      newLine(depth, pointer, [...prefix, { kind: "punct", text: c }]);
      i++;
      space();
      if (text[i] === close) {
        i++;
        append({ kind: "punct", text: close });
        return;
      }
      for (let index = 0; ; index++) {
        space();
        if (c === "{") {
          if (text[i] !== '"') throw new NotJson("expected a key");
          const end = stringEnd();
          const raw = text.slice(i, end);
          i = end;
          space();
          if (text[i] !== ":") throw new NotJson("expected a colon");
          i++;
          value(`${pointer}/${pointerToken(JSON.parse(raw) as string)}`, depth + 1, [
            { kind: "key", text: raw },
            { kind: "punct", text: ": " },
          ]);
        } else {
          value(`${pointer}/${index}`, depth + 1, []);
        }
        space();
        if (text[i] === ",") {
          i++;
          append({ kind: "punct", text: "," });
          continue;
        }
        if (text[i] !== close) throw new NotJson(`expected , or ${close}`);
        i++;
        newLine(depth, pointer, [{ kind: "punct", text: close }]);
        return;
      }
    }
    if (c === '"') {
      const end = stringEnd();
      newLine(depth, pointer, [...prefix, { kind: "string", text: text.slice(i, end) }]);
      i = end;
      return;
    }
    const start = i;
    while (i < text.length && !" \t\r\n,]}".includes(text[i]!)) i++;
    const raw = text.slice(start, i);
    if (raw === "") throw new NotJson("expected a value");
    newLine(depth, pointer, [...prefix, { kind: /^[-\d]/.test(raw) ? "number" : "literal", text: raw }]);
  };
  try {
    JSON.parse(text);
    value("", 0, []);
    space();
    if (i < text.length) return undefined;
  } catch {
    return undefined;
  }
  return { lines, lineOf };
}
