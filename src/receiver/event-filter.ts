// `--events user.*,post.created`: which event types `listen` shows.

/** A predicate over event types from comma-separated globs (`*` matches any run of characters). */
export function compileEventFilter(globs: string | undefined): (type: string | undefined) => boolean {
  const parts = (globs ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length === 0 || parts.includes("*")) return () => true;
  const patterns = parts.map(
    (part) =>
      new RegExp(
        `^${part
          .split("*")
          .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
      ),
  );
  return (type) => type !== undefined && patterns.some((pattern) => pattern.test(type));
}

/**
 * The globs of `--events` that match none of `known` (the catalogue's types): most likely typos,
 * worth a warning, since the events they were meant to show would silently not appear.
 */
export function unmatchedGlobs(globs: string | undefined, known: readonly string[]): string[] {
  const parts = (globs ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  return parts.filter((part) => {
    const matches = compileEventFilter(part);
    return !known.some((type) => matches(type));
  });
}
