import "server-only";
import { getRunRegistry, isFinalStatus, type RunRegistry } from "./registry";
import type { RunEvent } from "./types";

/**
 * A run's events as Server-Sent Events.
 *
 * Wire format, one block per event (`data` is the whole RunEvent as one line of JSON, so the
 * browser can hand it straight to `lib/graph`'s fold):
 *
 *     id: 42
 *     event: hop
 *     data: {"seq":42,"runId":"…","type":"hop","data":{…}}
 *     (blank line)
 *
 * The stream opens with a `retry:` hint, sends a `: keep-alive` comment every ~15 s, replays
 * stored events after Last-Event-ID page by page (only as fast as the client reads), then
 * follows the live bus, and closes after the run's final status event. A client too slow for the
 * live pace does not grow a queue without bound: past `maxQueued` the queue is dropped and the
 * stream goes back to paging from the store, where every event already is.
 */

export interface EventStreamTimers {
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

export interface EventStreamOptions {
  registry?: RunRegistry;
  keepAliveMs?: number;
  /** Reconnect delay suggested to the browser. */
  retryMs?: number;
  /** Stored events per replay chunk. */
  pageSize?: number;
  /** Live events buffered for a slow client before falling back to the store. */
  maxQueued?: number;
  timers?: EventStreamTimers;
}

export const KEEP_ALIVE_MS = 15_000;
export const RETRY_MS = 2_000;
export const KEEP_ALIVE_COMMENT = ": keep-alive\n\n";

const NODE_TIMERS: EventStreamTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** The seq a reconnecting client last saw; null when absent or not a non-negative integer. */
export function parseLastEventId(value: string | null | undefined): number | null {
  if (value == null || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

export function formatSseEvent(event: RunEvent): string {
  // JSON.stringify escapes CR and LF, so the data line can never be split.
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function isFinalEvent(event: RunEvent): boolean {
  return event.type === "status" && isFinalStatus(event.data.status);
}

/**
 * @param lastEventId the `Last-Event-ID` header (or query value); invalid values replay from 0.
 * @param signal aborted when the client goes away; the stream then unsubscribes and stops timers.
 */
export function createEventStream(
  runId: string,
  lastEventId: string | number | null,
  signal: AbortSignal,
  options: EventStreamOptions = {},
): ReadableStream<Uint8Array> {
  const registry = options.registry ?? getRunRegistry();
  const pageSize = options.pageSize ?? 500;
  const maxQueued = options.maxQueued ?? 2_000;
  const timers = options.timers ?? NODE_TIMERS;
  const encoder = new TextEncoder();

  let cursor =
    typeof lastEventId === "number" && Number.isSafeInteger(lastEventId) && lastEventId >= 0
      ? lastEventId
      : (parseLastEventId(typeof lastEventId === "string" ? lastEventId : null) ?? 0);
  let mode: "replay" | "live" | "closed" = "replay";
  let queue: RunEvent[] = [];
  let unsubscribe: (() => void) | null = null;
  let keepAlive: unknown = null;
  let wake: (() => void) | null = null;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  const cleanup = () => {
    mode = "closed";
    unsubscribe?.();
    unsubscribe = null;
    if (keepAlive !== null) timers.clearInterval(keepAlive);
    keepAlive = null;
    queue = [];
    signal.removeEventListener("abort", onAbort);
    notify();
  };

  const close = () => {
    if (mode === "closed") return;
    cleanup();
    controllerRef?.close();
  };

  function onAbort() {
    close();
  }

  const onLive = (event: RunEvent) => {
    if (mode !== "live") return;
    if (queue.length >= maxQueued) {
      // Too slow for the live pace: forget the queue, the store has it all.
      unsubscribe?.();
      unsubscribe = null;
      queue = [];
      mode = "replay";
    } else {
      queue.push(event);
    }
    notify();
  };

  /** Sends events in one chunk; closes after a final status. Returns true when it closed. */
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, events: RunEvent[]) => {
    if (events.length === 0) return false;
    const last = events.at(-1) as RunEvent;
    const end = events.findIndex(isFinalEvent);
    const batch = end === -1 ? events : events.slice(0, end + 1);
    controller.enqueue(encoder.encode(batch.map(formatSseEvent).join("")));
    cursor = end === -1 ? last.seq : (batch.at(-1) as RunEvent).seq;
    if (end === -1) return false;
    close();
    return true;
  };

  const pullOnce = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    for (;;) {
      if (mode === "closed") return;
      if (mode === "replay") {
        const page = registry.eventsAfter(runId, cursor, pageSize);
        if (send(controller, page)) return;
        if (page.length === pageSize) return;
        // Caught up. Same tick as the read above, so nothing can be appended in between.
        const status = registry.get(runId)?.status;
        if (status === undefined || isFinalStatus(status)) {
          close();
          return;
        }
        mode = "live";
        unsubscribe = registry.subscribe(runId, cursor, onLive);
        if (page.length > 0) return;
        continue;
      }
      if (queue.length > 0) {
        const batch = queue;
        queue = [];
        if (send(controller, batch)) return;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        if (signal.aborted) {
          cleanup();
          controller.close();
          return;
        }
        signal.addEventListener("abort", onAbort);
        controller.enqueue(encoder.encode(`retry: ${options.retryMs ?? RETRY_MS}\n\n`));
        keepAlive = timers.setInterval(() => {
          // A client that has not read what is queued needs no keep-alive: without this check
          // a body nobody reads (and nobody cancels) would grow by one comment per tick.
          if (mode !== "closed" && (controller.desiredSize ?? 0) >= 0) {
            controller.enqueue(encoder.encode(KEEP_ALIVE_COMMENT));
          }
        }, options.keepAliveMs ?? KEEP_ALIVE_MS);
      },
      async pull(controller) {
        try {
          await pullOnce(controller);
        } catch (error) {
          // Tell the browser why, log the cause for us, and end the stream cleanly: erroring it
          // would discard the error event still queued.
          const code = (error as { code?: unknown } | null)?.code;
          const data = JSON.stringify({ code: typeof code === "string" ? code : "StreamFailed" });
          console.error("runs.sse stream_failed", { runId, code, error });
          controller.enqueue(encoder.encode(`event: error\ndata: ${data}\n\n`));
          close();
        }
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 1 },
  );
}
