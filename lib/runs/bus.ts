import "server-only";
import type { RunEvent } from "./types";

export type RunEventListener = (event: RunEvent) => void;

export interface RunBusOptions {
  /** Called when a listener throws, so one broken subscriber cannot stop the run or the others. */
  onListenerError?: (error: unknown, event: RunEvent) => void;
}

/**
 * In-process publish/subscribe per run id. Keeps no history: whoever needs the past reads the
 * store, so memory stays flat however long a run is.
 */
export class RunBus {
  readonly #listeners = new Map<string, Set<RunEventListener>>();
  readonly #onListenerError: (error: unknown, event: RunEvent) => void;

  constructor(options: RunBusOptions = {}) {
    this.#onListenerError = options.onListenerError ?? logListenerError;
  }

  subscribe(runId: string, listener: RunEventListener): () => void {
    let set = this.#listeners.get(runId);
    if (!set) {
      set = new Set();
      this.#listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      const current = this.#listeners.get(runId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.#listeners.delete(runId);
    };
  }

  publish(event: RunEvent): void {
    const set = this.#listeners.get(event.runId);
    if (!set) return;
    // Copy: a listener may unsubscribe itself (e.g. on the final status event).
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  listenerCount(runId: string): number {
    return this.#listeners.get(runId)?.size ?? 0;
  }
}

function logListenerError(error: unknown, event: RunEvent): void {
  const code = (error as { code?: unknown } | null)?.code;
  console.error("runs.bus listener_failed", { runId: event.runId, seq: event.seq, code, error });
}
