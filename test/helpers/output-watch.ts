// Output that tests can await: text is appended as it arrives, and waitFor() resolves as soon as
// a pattern matches (an event, not a poll), or rejects once the writer has ended without it.

export interface OutputWatch {
  /** Everything appended so far. */
  text: () => string;
  append: (chunk: string) => void;
  /** Resolves with the first match once the text matches; rejects if end() comes first. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  /** Calls `listener` with every chunk appended from now on. */
  onAppend: (listener: (chunk: string) => void) => void;
  /** No more text will come: waiters still pending are rejected with `what` in the message. */
  end: (what: string) => void;
}

export function watchOutput(): OutputWatch {
  let text = "";
  let ended: string | undefined;
  const listeners: ((chunk: string) => void)[] = [];
  let waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void; reject: (error: Error) => void }[] = [];
  const settle = (): void => {
    waiters = waiters.filter((waiter) => {
      const match = waiter.pattern.exec(text);
      if (match) waiter.resolve(match);
      return !match;
    });
    if (ended === undefined) return;
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${ended} without printing ${String(waiter.pattern)}:\n${text}`));
  };
  return {
    text: () => text,
    append(chunk) {
      text += chunk;
      for (const listener of listeners) listener(chunk);
      if (waiters.length > 0) settle();
    },
    onAppend(listener) {
      listeners.push(listener);
    },
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        settle();
      });
    },
    end(what) {
      ended = what;
      settle();
    },
  };
}
