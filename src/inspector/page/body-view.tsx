// An event's body: the JSON laid out with each schema problem marked on its line, or the exact
// text (bytes that are not UTF-8 and hidden characters shown as escapes).

import { useMemo } from "preact/hooks";

import type { ProblemView } from "../api-types.js";
import { fromBase64, segmentBytes, segmentText, type Segment } from "./display-text.js";
import { prettyJson } from "./pretty-json.js";

/** Bodies larger than this are shown raw only (laying out megabytes in the page is slow and unreadable). */
const MAX_PRETTY = 512 * 1024;

export function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((segment, i) =>
        segment.kind === "text" ? (
          segment.text
        ) : (
          <span key={i} class="esc" title="shown escaped: not UTF-8, or a character that hides or fakes text">
            {segment.text}
          </span>
        ),
      )}
    </>
  );
}

export function RawBody({ text, base64 }: { text: string; base64: string | null }) {
  const segments = useMemo(() => (base64 !== null ? segmentBytes(fromBase64(base64)) : segmentText(text)), [text, base64]);
  return (
    <pre class="raw">
      <Segments segments={segments} />
    </pre>
  );
}

/** Problems by the line they belong to: their pointer's line (a missing property's is its parent's). */
function problemsByLine(problems: readonly ProblemView[], lineOf: Map<string, number>): Map<number, ProblemView[]> {
  const byLine = new Map<number, ProblemView[]>();
  for (const problem of problems) {
    let pointer = problem.pointer;
    while (!lineOf.has(pointer) && pointer !== "") pointer = pointer.slice(0, pointer.lastIndexOf("/"));
    const line = lineOf.get(pointer) ?? 0;
    byLine.set(line, [...(byLine.get(line) ?? []), problem]);
  }
  return byLine;
}

export function JsonBody({ text, problems }: { text: string; problems: readonly ProblemView[] }) {
  const pretty = useMemo(() => (text.length <= MAX_PRETTY ? prettyJson(text) : undefined), [text]);
  if (!pretty) return <RawBody text={text} base64={null} />;
  const marks = problemsByLine(problems, pretty.lineOf);
  return (
    <div class="json" role="table" aria-label="payload">
      {pretty.lines.map((line, i) => {
        const here = marks.get(i);
        return (
          <div
            key={i}
            id={`json-line-${i}`}
            class={`jl${here ? ` has-problem sev-${here[0]!.severity ?? "error"}` : ""}`}
            data-pointer={line.pointer}
          >
            <span class="jl-no">{i + 1}</span>
            <span class="jl-code" style={{ paddingLeft: `${line.depth * 2}ch` }}>
              {line.tokens.map((token, k) => (
                <span key={k} class={`t-${token.kind}`}>
                  <Segments segments={segmentText(token.text)} />
                </span>
              ))}
              {here?.map((problem, k) => (
                <span
                  key={`p${k}`}
                  class={`problem-mark sev-${problem.severity ?? "error"}`}
                  title={problem.pointer || "(the whole event)"}
                >
                  {problem.severity === "warning" ? "⚠" : problem.severity === "info" ? "ℹ" : "✗"} {problem.message}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}

/** The line of the pretty view a problem is marked on, to scroll to it. */
export function scrollToProblem(problem: ProblemView): void {
  const lines = document.querySelectorAll<HTMLElement>(".json .jl");
  let pointer = problem.pointer;
  for (;;) {
    for (const line of lines) {
      if (line.dataset["pointer"] === pointer) {
        line.scrollIntoView({ block: "center" });
        line.classList.add("flash");
        setTimeout(() => line.classList.remove("flash"), 900);
        return;
      }
    }
    if (pointer === "") return;
    pointer = pointer.slice(0, pointer.lastIndexOf("/"));
  }
}
