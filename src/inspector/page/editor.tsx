// Edit and replay: the event's text in an editor, checked as you type by the server (the same
// check as `wtbhook validate`), then sent as the exact text typed.

import { useEffect, useMemo, useRef, useState } from "preact/hooks";

import type { ProblemView, ReplayResult, ValidateResult } from "../api-types.js";
import type { Client } from "./client.js";
import { ReplayLine } from "./event-details.js";

interface EditorProps {
  client: Client;
  seq: number;
  initial: string;
  target: string;
  placeholder: string;
  onTarget: (target: string) => void;
  onSent: (result: ReplayResult) => void;
  onClose: () => void;
}

const CHECK_DELAY_MS = 150;

export function Editor({ client, seq, initial, target, placeholder, onTarget, onSent, onClose }: EditorProps) {
  const [text, setText] = useState(initial);
  const [check, setCheck] = useState<ValidateResult | null>(null);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);

  // At the start of the text: a one-line body would otherwise open scrolled to its end.
  useEffect(() => {
    area.current?.setSelectionRange(0, 0);
    area.current?.focus();
  }, []);

  // Checked a moment after typing stops; a late answer for older text is dropped.
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      client.validate(text).then(
        (answer) => current && setCheck(answer),
        (failure: Error) => current && setError(failure.message),
      );
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);

  const lineCount = useMemo(() => text.split("\n").length, [text]);
  const problemLines = useMemo(() => {
    const lines = new Map<number, string>();
    for (const problem of check?.problems ?? [])
      if (problem.line !== undefined && !lines.has(problem.line)) lines.set(problem.line, problem.severity ?? "error");
    return lines;
  }, [check]);

  /** Puts the cursor where a problem is (line and column count UTF-16 code units, as the textarea does). */
  const jump = (problem: ProblemView): void => {
    const element = area.current;
    if (!element || problem.line === undefined) return;
    let offset = 0;
    for (let line = 1; line < problem.line; line++) offset = text.indexOf("\n", offset) + 1;
    offset += (problem.column ?? 1) - 1;
    element.focus();
    element.setSelectionRange(offset, offset);
  };

  const send = async (): Promise<void> => {
    setSending(true);
    setError(null);
    try {
      const sent = await client.replay(seq, target.trim() || undefined, text);
      setResult(sent);
      onSent(sent);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  };

  const verdictText =
    check === null
      ? "checking…"
      : check.valid && check.severity === null
        ? `✓ valid ${check.type ?? ""}`
        : check.valid
          ? `⚠ valid, with ${check.problems.length} warning${check.problems.length === 1 ? "" : "s"}`
          : `✗ ${check.problems.length} problem${check.problems.length === 1 ? "" : "s"}`;
  return (
    <section class="editor" aria-label="edit and replay">
      <header class="e-head">
        <h2>Edit and replay</h2>
        <span
          class={`e-verdict ${check === null ? "dim" : check.valid ? (check.severity === null ? "v-ok" : "v-warning") : "v-error"}`}
          data-valid={check === null ? "" : String(check.valid)}
        >
          {verdictText}
        </span>
        <button class="icon close" title="Close (Esc)" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="e-area">
        <pre class="e-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <span key={i} class={problemLines.has(i + 1) ? `bad sev-${problemLines.get(i + 1)}` : ""}>
              {i + 1}
              {"\n"}
            </span>
          ))}
        </pre>
        <textarea
          ref={area}
          class="e-text"
          spellcheck={false}
          wrap="off"
          value={text}
          aria-label="event JSON"
          onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
          onScroll={(event) => {
            if (gutter.current) gutter.current.scrollTop = (event.target as HTMLTextAreaElement).scrollTop;
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void send();
            }
          }}
        />
      </div>
      {check && check.problems.length > 0 ? (
        <ul class="e-problems" aria-label="problems">
          {check.problems.map((problem, i) => (
            <li key={i} class={`sev-${problem.severity ?? "error"}`}>
              <button class="link" onClick={() => jump(problem)}>
                {problem.line !== undefined ? `${problem.line}:${problem.column}` : ""} <code>{problem.pointer || "/"}</code>
              </button>{" "}
              {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
      <footer class="e-foot">
        <label class="target">
          to
          <input
            type="url"
            value={target}
            placeholder={placeholder}
            onInput={(event) => onTarget((event.target as HTMLInputElement).value)}
            aria-label="replay to"
          />
        </label>
        <button class="primary" onClick={() => void send()} disabled={sending} title="Send (Ctrl+Enter)">
          {sending ? "Sending…" : "Send"}
        </button>
        <span class="dim">sent as typed, byte for byte; only a 2xx counts as delivered</span>
      </footer>
      {error ? <div class="warn">{error}</div> : null}
      {result ? <ReplayLine result={result} /> : null}
    </section>
  );
}
