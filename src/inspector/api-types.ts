// The JSON the inspector's API answers with: one definition for the server, the page and the README.

/** The worst severity among an event's schema problems (`error` today; issue 11 brings warnings). */
export type Severity = "error" | "warning" | "info";

/** One event (or rejected request) as the list shows it: `GET /api/events`, and each `/api/stream` message. */
export interface EventSummary {
  /**
   * The event's number. Under `listen`: listen's own `seq` (as in `--json`) for this run's
   * requests, and 0, −1, −2… (newest first) for the earlier ones read from the recording. Under
   * `inspect`: 1, 2, 3… in the order of the files.
   */
  seq: number;
  /** ISO 8601; null for a line of plain NDJSON events (no time recorded). */
  time: string | null;
  /** `event` for a JSON body; `rejected` for a body that was not JSON (400), too large (413) or refused while busy (503). */
  kind: "event" | "rejected";
  reason: "not-json" | "too-large" | "busy" | null;
  /** `run` for this run's requests, `recording` for lines read from a recording. */
  source: "run" | "recording";
  method: string;
  path: string;
  type: string | null;
  id: number | null;
  /** True when the type is one of the catalogue's. */
  knownType: boolean;
  /** Which delivery of its id this is (1 = first). */
  delivery: number;
  redelivery: boolean;
  /** The schema verdict: null when there is no schema to check against (an unknown type, or not JSON). */
  valid: boolean | null;
  severity: Severity | null;
  /** How many schema problems, and the first one's message. */
  problems: number;
  problem: string | null;
  /** What the sender got (null: no answer, it hung up first) and how long the answer took. */
  status: number | null;
  ms: number;
  /** Who answered: wtbhook itself, the app (`--forward-to`), or `--fail-first`. */
  by: "wtbhook" | "app" | "fail-first" | null;
  /** With `--forward-to`: the app's status (null when it could not be reached), latency and why it failed. */
  forward: { status: number | null; ms: number; error: string | null } | null;
  /** The facts listen shows on the event's line (user: username and email; topic: title; …). */
  facts: string[];
  /** Size of the body in bytes. */
  size: number;
}

/** One schema problem, with where it is in the body when the body is JSON text. */
export interface ProblemView {
  pointer: string;
  message: string;
  keyword: string;
  severity?: Severity | undefined;
  expected?: string | undefined;
  found?: string | undefined;
  /** Line and column in the body, from 1 (columns count UTF-16 code units, as editors do). */
  line?: number | undefined;
  column?: number | undefined;
}

/** A replay's outcome, judged as Website Toolbox judges a delivery: only 2xx counts. */
export interface ReplayResult {
  time: string;
  to: string;
  /** True when the body sent was not the recorded one. */
  edited: boolean;
  status: number | null;
  statusText: string | null;
  delivered: boolean;
  ms: number;
  /** Why it did not count as delivered, in the words `send` uses. */
  error: string | null;
  /** A 3xx answer's Location, which is never followed. */
  location: string | null;
  /** The start of the answer's body (at most 1 KiB), as text. */
  answer: string;
  answerBytes: number;
}

/** `GET /api/events/<seq>`: everything known of one request. */
export interface EventDetail extends EventSummary {
  /** Request headers as received (lower-case names). */
  headers: Record<string, string>;
  /** The body as UTF-8 text (bytes that are not UTF-8 as U+FFFD); null when it is no longer to be had. */
  body: string | null;
  /** The exact bytes in base64, only when they are not UTF-8. */
  bodyBase64: string | null;
  /** Why `body` is null. */
  bodyMissing: string | null;
  /** Every schema problem kept (at most 20), and how many more there were. */
  problemList: ProblemView[];
  moreProblems: number;
  /** Where a body that is not JSON stops being JSON. */
  jsonError: { message: string; line: number; column: number } | null;
  /** With `--forward-to`: the app's full answer as `-v` shows it. */
  forwardAnswer: {
    url: string;
    statusText: string;
    headers: [string, string][];
    body: string;
    bodyBytes: number;
    truncated: boolean;
    failure: { kind: string; message: string } | null;
  } | null;
  /** Why the request could not be recorded (it was then answered 500). */
  recordError: string | null;
  /** Replays of this event in this session, newest first. */
  replays: ReplayResult[];
}

/** `POST /api/validate`: the check `validate` makes, with positions in the text. */
export interface ValidateResult {
  type: string | null;
  valid: boolean;
  severity: Severity | null;
  problems: ProblemView[];
}

/** `GET /api/info`: what this inspector is looking at. */
export interface InspectorInfo extends InspectorInfoBase {
  /** Most events kept in memory. */
  capacity: number;
  /** The newest seq in the history when asked, 0 when it is empty (a stream opened with `?after=` it misses nothing). */
  lastSeq: number;
}

/** What the inspector is told of what it looks at; the API adds the history's figures. */
export interface InspectorInfoBase {
  mode: "listen" | "inspect";
  version: string;
  /** Under listen: the receiving URL(s) and the public one. */
  receiving: string | null;
  publicUrl: string | null;
  /** Where Replay sends by default: the --forward-to app (listen) or --to (inspect); null when none. */
  replayTo: string | null;
  /** The recording(s) the history comes from. */
  recordings: string[];
  /** The --fixtures folder that Save as fixture writes into; null: the fixture is downloaded. */
  fixtures: string | null;
}

export interface ApiError {
  error: string;
}
