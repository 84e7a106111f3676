// Short, terminal-safe descriptions of JSON values for problem messages ("found 42", "found [1, 2, …]").

import { escapeUnsafeInJson } from "../terminal/safe-text.js";

/** The JSON type name of a value: object, array, string, number, integer, boolean, null. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function quote(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  const quoted = JSON.stringify(cut);
  // JSON.stringify already escapes C0 controls; escape the rest of the unsafe set too.
  return escapeUnsafeInJson(quoted);
}

/**
 * A brief, single-line, terminal-safe rendering of a value, at most about `max` characters.
 * Bounded in depth and width, so a 100,000-deep array or a 50 MB string costs next to nothing.
 */
export function previewValue(value: unknown, max = 40): string {
  let budget = max;
  const render = (item: unknown, depth: number): string => {
    if (budget <= 0) return "…";
    let out: string;
    if (item === null || typeof item === "boolean") out = String(item);
    else if (typeof item === "number") out = Number.isFinite(item) ? String(item) : "null";
    else if (typeof item === "string") out = quote(item, Math.max(budget - 2, 8));
    else if (Array.isArray(item)) {
      if (item.length === 0) out = "[]";
      else if (depth >= 2) out = "[…]";
      else {
        const parts: string[] = [];
        budget -= 2;
        for (let i = 0; i < item.length; i++) {
          if (budget <= 0) {
            parts.push("…");
            break;
          }
          parts.push(render(item[i], depth + 1));
        }
        out = `[${parts.join(", ")}]`;
      }
    } else if (typeof item === "object") {
      const keys = Object.keys(item);
      if (keys.length === 0) out = "{}";
      else if (depth >= 2) out = "{…}";
      else {
        const parts: string[] = [];
        budget -= 2;
        for (const key of keys) {
          if (budget <= 0) {
            parts.push("…");
            break;
          }
          const name = quote(key, 20);
          budget -= name.length + 2;
          parts.push(`${name}: ${render((item as Record<string, unknown>)[key], depth + 1)}`);
        }
        out = `{${parts.join(", ")}}`;
      }
    } else out = typeof item === "bigint" ? item.toString() : "undefined";
    budget -= out.length;
    return out;
  };
  return render(value, 0);
}
