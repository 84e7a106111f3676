// The inspector page: the filters, the live list and the open event, and the keyboard.

import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";

import type { EventDetail, EventSummary, InspectorInfo, ReplayResult } from "../api-types.js";
import { compileSummaryFilter, summaryHasText, type EventFilter } from "../filter.js";
import { ApiFailure, Client } from "./client.js";
import { Editor } from "./editor.js";
import { EventDetails, notEditable } from "./event-details.js";
import { EventList } from "./event-list.js";
import { curlCommand, sendCommand, type BodySource } from "./shell-commands.js";

const PAGE = 500;
const PLACEHOLDER_TARGET = "http://localhost:3000/webhooks";

/** The keys the footer reminds of. */
const KEYS: [string[], string][] = [
  [["j", "k"], "move"],
  [["Enter"], "open"],
  [["r"], "replay"],
  [["e"], "edit"],
  [["/"], "search"],
  [["Esc"], "close"],
];

type Connection = "connecting" | "live" | "reconnecting" | "unauthorized" | "closed";

/** Newest first, without duplicates. */
function merge(current: EventSummary[], added: EventSummary[]): EventSummary[] {
  if (added.length === 0) return current;
  const bySeq = new Map(current.map((event) => [event.seq, event]));
  for (const event of added) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

function download(blob: Blob, name: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function bodyBytes(detail: EventDetail): Uint8Array<ArrayBuffer> {
  if (detail.bodyBase64 !== null) {
    const binary = atob(detail.bodyBase64);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  }
  return new TextEncoder().encode(detail.body ?? "");
}

function bodySource(detail: EventDetail): BodySource {
  return detail.bodyBase64 !== null ? { base64: detail.bodyBase64 } : { text: detail.body ?? "" };
}

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return (
    element !== null &&
    (element.tagName === "INPUT" || element.tagName === "TEXTAREA" || element.tagName === "SELECT" || element.isContentEditable)
  );
}

export function App({ client }: { client: Client }) {
  const [info, setInfo] = useState<InspectorInfo | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [filter, setFilter] = useState<EventFilter>({});
  const [selected, setSelected] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [editing, setEditing] = useState(false);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const openRef = useRef(open);
  openRef.current = open;

  const say = useCallback((text: string) => {
    setToast(text);
    setTimeout(() => setToast((shown) => (shown === text ? null : shown)), 3000);
  }, []);

  const failed = useCallback(
    (error: unknown) => {
      if (error instanceof ApiFailure && error.status === 401)
        setFatal("The token is missing or wrong. Open the URL that wtbhook printed (Inspector: …); it changes each time wtbhook starts.");
      else say((error as Error).message);
    },
    [say],
  );

  useEffect(() => {
    client.info().then(setInfo, failed);
  }, []);

  // The list for the current filters (text fields wait for typing to pause).
  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      client.events(filter, { limit: PAGE }).then(
        (answer) => {
          if (!current) return;
          setEvents(answer.events);
          setMore(answer.more);
          setLoading(false);
          setSelected((seq) => seq ?? answer.events[0]?.seq ?? null);
        },
        (error: unknown) => {
          if (current) failed(error);
        },
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [filter]);

  // New events as they arrive. A text search may match a body: those are asked of the server.
  useEffect(() => {
    if (info === null || info.mode !== "listen") {
      if (info) setConnection("closed");
      return;
    }
    const stop = new AbortController();
    let recheckFrom: number | undefined;
    let recheck: ReturnType<typeof setTimeout> | undefined;
    void client.stream(
      info.lastSeq,
      (event) => {
        const current = filterRef.current;
        if (!compileSummaryFilter(current)(event)) return;
        if (current.q && !summaryHasText(event, current.q)) {
          recheckFrom = Math.min(recheckFrom ?? event.seq, event.seq);
          recheck ??= setTimeout(() => {
            const from = recheckFrom! - 1;
            recheck = recheckFrom = undefined;
            client
              .events(filterRef.current, { after: from, limit: PAGE })
              .then((answer) => setEvents((shown) => merge(shown, answer.events)), failed);
          }, 300);
          return;
        }
        setEvents((shown) => merge(shown, [event]));
        setSelected((seq) => seq ?? event.seq);
      },
      (state) => {
        setConnection(state);
        if (state === "unauthorized") failed(new ApiFailure(401, "unauthorized"));
      },
      stop.signal,
    );
    return () => stop.abort();
  }, [info]);

  // The open event's details.
  const loadDetail = useCallback(
    (seq: number) =>
      client.event(seq).then((loaded) => {
        if (openRef.current === seq) setDetail(loaded);
        return loaded;
      }),
    [],
  );
  useEffect(() => {
    setDetail(null);
    setEditing(false);
    if (open !== null) loadDetail(open).catch(failed);
  }, [open]);
  // `e` on an event whose body cannot be edited as text (the button is disabled for it) says why instead.
  useEffect(() => {
    const reason = editing && detail ? notEditable(detail) : null;
    if (reason === null) return;
    setEditing(false);
    say(`Cannot edit: ${reason}`);
  }, [editing, detail]);

  const defaultTarget = info?.replayTo ?? "";
  const replayTo = target.trim() || defaultTarget;

  const addReplay = (seq: number, result: ReplayResult): void => {
    setDetail((shown) => (shown && shown.seq === seq ? { ...shown, replays: [result, ...shown.replays] } : shown));
    say(`${result.delivered ? "Delivered" : "Not delivered"}: ${result.status ?? result.error ?? "no answer"} from ${result.to}`);
  };

  const replay = async (seq: number): Promise<void> => {
    if (!replayTo) {
      say("Type a URL to replay to (listen --forward-to sets a default)");
      document.querySelector<HTMLInputElement>("input.replay-target")?.focus();
      return;
    }
    setBusy(true);
    try {
      addReplay(seq, await client.replay(seq, replayTo));
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  const copy = async (text: string, what: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      say(`Copied ${what}`);
    } catch {
      window.prompt(`Copy ${what}:`, text);
    }
  };

  const saveFixture = async (shown: EventDetail): Promise<void> => {
    if (info?.fixtures) {
      try {
        const saved = await client.saveFixture(shown.seq, false);
        say(`Saved ${saved.path}`);
      } catch (error) {
        if (
          error instanceof ApiFailure &&
          error.status === 409 &&
          window.confirm(`${shown.type ?? "event"}.json exists already in ${info.fixtures}.\n\nReplace it?`)
        ) {
          const saved = await client.saveFixture(shown.seq, true).catch(failed);
          if (saved) say(`Saved ${saved.path}`);
        } else failed(error);
      }
      return;
    }
    download(new Blob([bodyBytes(shown)], { type: "application/json" }), `${shown.type ?? "event"}.json`);
  };

  const exportList = async (): Promise<void> => {
    try {
      download(await client.exportNdjson(filter), "wtbhook-events.ndjson");
    } catch (error) {
      failed(error);
    }
  };

  const loadOlder = (): void => {
    const oldest = events[events.length - 1];
    if (!oldest || loading) return;
    setLoading(true);
    client.events(filter, { before: oldest.seq, limit: PAGE }).then((answer) => {
      setEvents((shown) => merge(shown, answer.events));
      setMore(answer.more);
      setLoading(false);
    }, failed);
  };

  const openEvent = (seq: number): void => {
    setSelected(seq);
    setOpen(seq);
  };

  // j/k move, Enter opens, r replays, e edits, / searches, Esc closes.
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      // Chromium's own Escape empties a text field without an input event, leaving the filter behind.
      if (isTyping(event.target)) {
        event.preventDefault();
        (event.target as HTMLElement).blur();
      } else if (editing) setEditing(false);
      else setOpen(null);
      return;
    }
    if (isTyping(event.target)) return;
    const index = events.findIndex((shown) => shown.seq === selected);
    const move = (to: number): void => {
      const next = events[Math.max(0, Math.min(events.length - 1, to))];
      if (next) setSelected(next.seq);
    };
    switch (event.key) {
      case "j":
      case "ArrowDown":
        move(index + 1);
        break;
      case "k":
      case "ArrowUp":
        move(index - 1);
        break;
      case "Enter":
        if (selected !== null) openEvent(selected);
        break;
      case "r":
        if (selected !== null) {
          if (open !== selected) openEvent(selected);
          void replay(selected);
        }
        break;
      case "e":
        if (selected !== null) {
          if (open !== selected) openEvent(selected);
          setEditing(true);
        }
        break;
      case "/":
        search.current?.focus();
        search.current?.select();
        break;
      default:
        return;
    }
    event.preventDefault();
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent): void => keys.current(event);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);

  const setField = (name: keyof EventFilter, value: string): void =>
    setFilter((current) => ({ ...current, [name]: value === "" ? undefined : value }));
  const filtered = Boolean(filter.type || filter.answer || filter.schema || filter.q);
  const source = useMemo(() => {
    if (!info) return "";
    if (info.mode === "inspect") return `inspecting ${info.recordings.join(", ")}`;
    return `listening on ${info.publicUrl ?? info.receiving ?? ""}`;
  }, [info]);

  if (fatal) {
    return (
      <div class="fatal">
        <h1>wtbhook inspector</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  return (
    <div class={`app${open !== null ? " with-details" : ""}`}>
      <header class="top">
        <span class="brand">wtbhook</span>
        <span class="source" title={source}>
          {source}
        </span>
        {info?.mode === "listen" && info.replayTo ? <span class="source dim">→ app {info.replayTo}</span> : null}
        {info && info.recordings.length > 0 && info.mode === "listen" ? (
          <span class="source dim">recording {info.recordings[0]}</span>
        ) : null}
        <span class={`conn conn-${connection}`} title={connection}>
          {connection === "live"
            ? "● live"
            : connection === "reconnecting"
              ? "○ reconnecting…"
              : connection === "closed"
                ? "recordings"
                : connection === "connecting"
                  ? "○ connecting…"
                  : "unauthorized"}
        </span>
      </header>
      <div class="filters" role="search">
        <input
          ref={search}
          class="search"
          type="search"
          placeholder="Search  /"
          aria-label="search"
          value={filter.q ?? ""}
          onInput={(event) => setField("q", (event.target as HTMLInputElement).value)}
        />
        <input
          class="type-glob"
          type="text"
          placeholder="type: user.*,post.created"
          aria-label="type"
          value={filter.type ?? ""}
          onInput={(event) => setField("type", (event.target as HTMLInputElement).value)}
        />
        <select
          aria-label="answer"
          value={filter.answer ?? ""}
          onChange={(event) => setField("answer", (event.target as HTMLSelectElement).value)}
        >
          <option value="">any answer</option>
          <option value="2xx">2xx</option>
          <option value="failed">failed</option>
        </select>
        <select
          aria-label="schema"
          value={filter.schema ?? ""}
          onChange={(event) => setField("schema", (event.target as HTMLSelectElement).value)}
        >
          <option value="">any schema</option>
          <option value="valid">valid</option>
          <option value="warnings">warnings</option>
          <option value="invalid">invalid</option>
          <option value="unknown">unknown type</option>
        </select>
        <span class="count">
          {events.length}
          {more ? "+" : ""} {filtered ? "matching" : events.length === 1 ? "event" : "events"}
        </span>
        <label class="target">
          replay to
          <input
            class="replay-target"
            type="url"
            value={target}
            placeholder={defaultTarget || PLACEHOLDER_TARGET}
            onInput={(event) => setTarget((event.target as HTMLInputElement).value)}
          />
        </label>
        <button onClick={() => void exportList()} title="Download the list as NDJSON (recording format: send --from and validate read it)">
          Export
        </button>
      </div>
      <main class="panes">
        <EventList
          events={events}
          selected={selected}
          open={open}
          more={more}
          loading={loading}
          onSelect={setSelected}
          onOpen={openEvent}
          onMore={loadOlder}
        />
        {open !== null ? (
          detail === null ? (
            <section class="details loading">Loading…</section>
          ) : editing && detail.body !== null && notEditable(detail) === null ? (
            <Editor
              client={client}
              seq={detail.seq}
              initial={detail.body}
              target={target}
              placeholder={defaultTarget || PLACEHOLDER_TARGET}
              onTarget={setTarget}
              onSent={(result) => addReplay(detail.seq, result)}
              onClose={() => setEditing(false)}
            />
          ) : (
            <EventDetails
              detail={detail}
              info={info!}
              busy={busy}
              actions={{
                replay: () => void replay(detail.seq),
                edit: () => setEditing(true),
                copyCurl: () => void copy(curlCommand(replayTo || PLACEHOLDER_TARGET, detail.headers, bodySource(detail)), "curl command"),
                copySend: () =>
                  void copy(
                    sendCommand(replayTo || PLACEHOLDER_TARGET, bodySource(detail), detail.valid === false),
                    "wtbhook send command",
                  ),
                saveFixture: () => void saveFixture(detail),
                close: () => setOpen(null),
              }}
            />
          )
        ) : null}
      </main>
      <footer class="keys">
        {KEYS.map(([keys, what]) => (
          <span key={what}>
            {keys.map((key, i) => (
              <>
                {i > 0 ? "/" : null}
                <kbd>{key}</kbd>
              </>
            ))}{" "}
            {what}
          </span>
        ))}
        {toast ? (
          <span class="toast" role="status">
            {toast}
          </span>
        ) : null}
      </footer>
    </div>
  );
}
