// The live list, newest first: one dense row per request, only the rows in view rendered.

import { useEffect, useRef, useState } from "preact/hooks";

import type { EventSummary } from "../api-types.js";
import { clock, familyClass, ms, rejectedLabel, statusClass, verdict } from "./labels.js";

export const ROW_HEIGHT = 26;
const OVERSCAN = 12;

interface ListProps {
  events: EventSummary[];
  selected: number | null;
  open: number | null;
  more: boolean;
  loading: boolean;
  onSelect: (seq: number) => void;
  onOpen: (seq: number) => void;
  onMore: () => void;
}

function Row({
  event,
  selected,
  open,
  onSelect,
  onOpen,
}: {
  event: EventSummary;
  selected: boolean;
  open: boolean;
  onSelect: (seq: number) => void;
  onOpen: (seq: number) => void;
}) {
  const mark = verdict(event);
  const rejected = event.kind === "rejected";
  return (
    <div
      class={`row${selected ? " selected" : ""}${open ? " open" : ""}${event.source === "recording" ? " earlier" : ""}`}
      role="row"
      aria-selected={selected}
      data-seq={event.seq}
      onClick={() => {
        onSelect(event.seq);
        onOpen(event.seq);
      }}
    >
      <span class="c-time" title={event.time ?? "no time recorded"}>
        {clock(event.time)}
      </span>
      <span class={`c-type ${rejected ? "rejected" : familyClass(event.type)}`} title={event.type ?? undefined}>
        {rejected ? `⚠ ${rejectedLabel(event.reason)}` : (event.type ?? "(no type)")}
      </span>
      <span class="c-id" title={event.id === null ? undefined : `envelope id ${event.id}`}>
        {event.id ?? ""}
      </span>
      <span
        class={`c-delivery${event.redelivery ? " redelivery" : ""}`}
        title={event.redelivery ? `redelivery: delivery ${event.delivery} of this id` : "first delivery of this id"}
      >
        {event.id === null ? "" : event.redelivery ? `#${event.delivery} ↻` : `#${event.delivery}`}
      </span>
      <span class="c-facts">
        {!event.knownType && event.type !== null && !rejected ? <span class="tag unknown">unknown type</span> : null}
        {event.facts.join("  ")}
        {event.valid === false && event.problem ? (
          <span class="c-problem">{`${event.facts.length > 0 ? "  " : ""}✗ ${event.problem}`}</span>
        ) : null}
        {event.kind === "rejected" && event.reason === "not-json" ? <span class="c-problem">body is not JSON</span> : null}
      </span>
      <span
        class={`c-status ${statusClass(event.status)}`}
        title={
          event.by === "app"
            ? "the app's status, passed on to the sender"
            : event.by === "fail-first"
              ? "--fail-first"
              : "what the sender got"
        }
      >
        {event.status ?? "—"}
      </span>
      <span class="c-ms">{ms(event.ms)}</span>
      <span class={`c-verdict ${mark.cls}`} title={mark.title}>
        {mark.mark}
      </span>
    </div>
  );
}

export function EventList({ events, selected, open, more, loading, onSelect, onOpen, onMore }: ListProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 800 });

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const update = (): void => setScroll({ top: element.scrollTop, height: element.clientHeight });
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    element.addEventListener("scroll", update, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener("scroll", update);
    };
  }, []);

  // Keep the selected row in view when the keyboard moves it.
  useEffect(() => {
    const element = box.current;
    const index = events.findIndex((event) => event.seq === selected);
    if (!element || index < 0) return;
    const top = index * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
  }, [selected, events]);

  // Near the bottom: ask for older events.
  useEffect(() => {
    if (more && !loading && scroll.top + scroll.height > events.length * ROW_HEIGHT - ROW_HEIGHT * 20) onMore();
  }, [scroll, more, loading, events.length]);

  const first = Math.max(0, Math.floor(scroll.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(events.length, Math.ceil((scroll.top + scroll.height) / ROW_HEIGHT) + OVERSCAN);
  return (
    <div class="list" ref={box} role="grid" aria-label="events">
      {events.length === 0 ? (
        <div class="empty">{loading ? "Loading…" : "No events yet. Send one: wtbhook send user.created --to <the listen URL>"}</div>
      ) : (
        <div class="rows" style={{ height: `${events.length * ROW_HEIGHT}px` }}>
          <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {events.slice(first, last).map((event) => (
              <Row
                key={event.seq}
                event={event}
                selected={event.seq === selected}
                open={event.seq === open}
                onSelect={onSelect}
                onOpen={onOpen}
              />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
