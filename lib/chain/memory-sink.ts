import type { RunEventInput, RunSink } from "@/lib/runs/types";

export interface MemorySink extends RunSink {
  readonly events: RunEventInput[];
  /** What `RunRegistry.stop` does: flag the stop and abort waits. */
  stop(): void;
}

/**
 * An in-memory RunSink that keeps every event: the engine's output port for tests and the
 * benchmark's bare baseline. It is not a mock of our code path; the store behind the real
 * registry is tested by lib/runs.
 */
export function createMemorySink(
  runId = "0000000000test",
  onEmit?: (event: RunEventInput, sink: MemorySink) => void,
): MemorySink {
  const controller = new AbortController();
  let stopRequested = false;
  const sink: MemorySink = {
    runId,
    events: [],
    emit(event) {
      sink.events.push(event);
      onEmit?.(event, sink);
    },
    get stopRequested() {
      return stopRequested;
    },
    signal: controller.signal,
    stop() {
      stopRequested = true;
      controller.abort();
    },
  };
  return sink;
}
