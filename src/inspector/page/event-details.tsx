// One event in full: what came in, what was answered, the app's answer, the schema problems at
// their place, and the actions (replay, edit and replay, copy, save as fixture).

import { useState } from "preact/hooks";

import type { EventDetail, InspectorInfo, ReplayResult } from "../api-types.js";
import { JsonBody, RawBody, scrollToProblem, Segments } from "./body-view.js";
import { segmentText } from "./display-text.js";
import { bytes, clock, dateTime, familyClass, ms, rejectedLabel, statusClass, verdict } from "./labels.js";

export interface DetailActions {
  replay: () => void;
  edit: () => void;
  copyCurl: () => void;
  copySend: () => void;
  saveFixture: () => void;
  close: () => void;
}

/** Why an event cannot be edited as text (no body, or bytes that are not UTF-8), or null when it can. */
export function notEditable(detail: EventDetail): string | null {
  if (detail.body === null) return `no body to edit: ${detail.bodyMissing ?? "none was read"}`;
  if (detail.bodyBase64 !== null) return "its body is not UTF-8 text: Replay sends its exact bytes, but it cannot be edited as text";
  return null;
}

function Headers({ headers }: { headers: [string, string][] }) {
  return (
    <table class="headers">
      <tbody>
        {headers.map(([name, value], i) => (
          <tr key={i}>
            <th>
              <Segments segments={segmentText(name)} />
            </th>
            <td>
              <Segments segments={segmentText(value)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReplayLine({ result }: { result: ReplayResult }) {
  return (
    <div class={`replay ${result.delivered ? "delivered" : "failed"}`} data-status={result.status ?? ""}>
      <span class="r-mark">{result.delivered ? "✓" : "✗"}</span>
      <span class={`r-status ${statusClass(result.status)}`}>
        {result.status === null ? "no answer" : `${result.status} ${result.statusText ?? ""}`.trim()}
      </span>
      <span class="r-ms">{ms(result.ms)}</span>
      <span class="r-to" title={result.to}>
        → {result.to}
      </span>
      {result.edited ? <span class="tag">edited</span> : null}
      <span class="r-time">{clock(result.time)}</span>
      {result.error ? (
        <div class="r-error">{result.location ? `${result.error} (Location: ${result.location}, not followed)` : result.error}</div>
      ) : null}
      {result.answer ? <pre class="r-answer">{result.answer}</pre> : null}
    </div>
  );
}

export function EventDetails({
  detail,
  info,
  actions,
  busy,
}: {
  detail: EventDetail;
  info: InspectorInfo;
  actions: DetailActions;
  busy: boolean;
}) {
  const [tab, setTab] = useState<"json" | "raw">("json");
  const mark = verdict(detail);
  const rejected = detail.kind === "rejected";
  const problems = detail.problemList;
  const canPretty = detail.body !== null && detail.bodyBase64 === null && detail.kind === "event";
  const shownTab = canPretty ? tab : "raw";
  return (
    <section class="details" aria-label="event details">
      <header class="d-head">
        <div class="d-title">
          <span class={`d-type ${rejected ? "rejected" : familyClass(detail.type)}`}>
            {rejected ? `⚠ ${rejectedLabel(detail.reason)}` : (detail.type ?? "(no type)")}
          </span>
          {detail.id !== null ? <span class="d-id">id {detail.id}</span> : null}
          {detail.id !== null ? (
            <span class={`d-delivery${detail.redelivery ? " redelivery" : ""}`}>
              {detail.redelivery ? `#${detail.delivery} ↻ redelivery` : `#${detail.delivery}`}
            </span>
          ) : null}
          <span class="d-seq" title="seq">
            seq {detail.seq}
          </span>
          <button class="icon close" title="Close (Esc)" onClick={actions.close}>
            ×
          </button>
        </div>
        <div class="d-facts">
          <span title={detail.time ?? undefined}>{detail.time ? dateTime(detail.time) : "no time recorded"}</span>
          {detail.source === "recording" ? <span class="tag">from the recording</span> : null}
          {!detail.knownType && detail.type !== null && !rejected ? <span class="tag unknown">unknown type</span> : null}
          {detail.facts.length > 0 ? <span class="d-factlist">{detail.facts.join("  ")}</span> : null}
        </div>
        <div class="actions">
          <button class="primary" onClick={actions.replay} disabled={busy || detail.body === null} title="Replay (r)">
            ↻ Replay
          </button>
          <button onClick={actions.edit} disabled={notEditable(detail) !== null} title={notEditable(detail) ?? "Edit and replay (e)"}>
            ✎ Edit and replay
          </button>
          <button onClick={actions.copyCurl} disabled={detail.body === null}>
            Copy as curl
          </button>
          <button onClick={actions.copySend} disabled={detail.body === null}>
            Copy as wtbhook send
          </button>
          <button
            onClick={actions.saveFixture}
            disabled={detail.body === null || rejected || detail.type === null}
            title={info.fixtures ? `Save into ${info.fixtures}` : "Download as <type>.json"}
          >
            Save as fixture
          </button>
        </div>
      </header>
      <div class="d-body">
        {detail.replays.length > 0 ? (
          <div class="block replays" aria-label="replays">
            <h3>Replays</h3>
            {detail.replays.map((result, i) => (
              <ReplayLine key={`${result.time}-${i}`} result={result} />
            ))}
          </div>
        ) : null}

        <div class="block answer">
          <h3>Answer</h3>
          <div class="kv">
            <span class="k">sender got</span>
            <span class={`v ${statusClass(detail.status)}`}>{detail.status ?? "no answer (it hung up first)"}</span>
            <span class="k">in</span>
            <span class="v">{ms(detail.ms)}</span>
            <span class="k">from</span>
            <span class="v">
              {detail.by === "app"
                ? "the app (--forward-to)"
                : detail.by === "fail-first"
                  ? "--fail-first"
                  : detail.by === "wtbhook"
                    ? "wtbhook"
                    : "—"}
            </span>
            <span class="k">schema</span>
            <span class={`v ${mark.cls}`}>
              {mark.mark}{" "}
              {detail.valid === true && detail.severity === null
                ? "valid"
                : detail.valid === false
                  ? `${detail.problems} problem${detail.problems === 1 ? "" : "s"}`
                  : mark.title}
            </span>
          </div>
          {detail.recordError ? <div class="warn">Not recorded: {detail.recordError} (answered 500)</div> : null}
        </div>

        {problems.length > 0 ? (
          <div class="block problems" aria-label="schema problems">
            <h3>
              Schema problems{" "}
              {detail.moreProblems > 0 ? (
                <span class="dim">
                  (first {problems.length}; {detail.moreProblems} more)
                </span>
              ) : null}
            </h3>
            <ul>
              {problems.map((problem, i) => (
                <li key={i} class={`sev-${problem.severity ?? "error"}`}>
                  <button class="link" onClick={() => scrollToProblem(problem)}>
                    <code>{problem.pointer || "/"}</code>
                    {problem.line !== undefined ? <span class="dim"> line {problem.line}</span> : null}
                  </button>{" "}
                  {problem.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <div class="block body">
          <h3>
            Body <span class="dim">{bytes(detail.size)}</span>
            {canPretty ? (
              <span class="tabs">
                <button class={shownTab === "json" ? "on" : ""} onClick={() => setTab("json")}>
                  JSON
                </button>
                <button class={shownTab === "raw" ? "on" : ""} onClick={() => setTab("raw")}>
                  Raw
                </button>
              </span>
            ) : null}
          </h3>
          {detail.jsonError ? (
            <div class="warn">
              Not JSON: {detail.jsonError.message} at line {detail.jsonError.line}, column {detail.jsonError.column}
            </div>
          ) : null}
          {detail.body === null ? (
            <div class="dim">The body is {detail.bodyMissing}.</div>
          ) : shownTab === "json" ? (
            <JsonBody text={detail.body} problems={problems} />
          ) : (
            <RawBody text={detail.body} base64={detail.bodyBase64} />
          )}
        </div>

        <div class="block request">
          <h3>Request</h3>
          <div class="reqline">
            <code>
              {detail.method} {detail.path || "(not recorded)"}
            </code>
          </div>
          <Headers headers={Object.entries(detail.headers)} />
        </div>

        {detail.forwardAnswer ? (
          <div class="block forward" aria-label="the app's answer">
            <h3>
              App <span class="dim">{detail.forwardAnswer.url}</span>
            </h3>
            {detail.forwardAnswer.failure ? (
              <div class="warn">{detail.forwardAnswer.failure.message}</div>
            ) : (
              <>
                <div class="reqline">
                  <code class={statusClass(detail.forward?.status ?? null)}>
                    {detail.forward?.status} {detail.forwardAnswer.statusText}
                  </code>{" "}
                  <span class="dim">{ms(detail.forward?.ms ?? 0)}</span>
                </div>
                <Headers headers={detail.forwardAnswer.headers} />
                {detail.forwardAnswer.body !== "" ? <RawBody text={detail.forwardAnswer.body} base64={null} /> : null}
                {detail.forwardAnswer.truncated ? (
                  <div class="dim">
                    (first {bytes(detail.forwardAnswer.body.length)} of {bytes(detail.forwardAnswer.bodyBytes)})
                  </div>
                ) : null}
              </>
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}
