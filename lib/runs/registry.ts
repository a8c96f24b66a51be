import "server-only";
import { foldEvents, GraphFolder } from "@/lib/graph/fold";
import type { GraphModel } from "@/lib/graph/types";
import { RunBus, type RunEventListener } from "./bus";
import { createHopCsvStream } from "./csv";
import { RunsError } from "./errors";
import { maskAccessKeyId } from "./mask";
import { createRunIdFactory } from "./run-id";
import { RunStore } from "./store";
import type {
  HopRecord,
  RunError,
  RunEvent,
  RunEventInput,
  RunKind,
  RunSink,
  RunStatus,
  RunSummary,
  TargetKind,
} from "./types";

/** What a run's work returns when it ends on its own terms. */
export interface RunOutcome {
  status: "completed" | "stopped" | "failed";
  error?: RunError;
}

export interface StartRunInput {
  kind: RunKind;
  target: TargetKind;
  /** Validated input; stored and shown as is, so never a secret. */
  params: Record<string, unknown>;
}

export type RunWork = (sink: RunSink) => Promise<RunOutcome>;

/**
 * The server's runs: starts work in the background, records every event (store first, then
 * bus), and answers the routes. One per process: use `getRunRegistry()`.
 */
export interface RunRegistry {
  /**
   * Creates the run, records `status: running`, schedules `work` after the current request and
   * returns at once. `work` reports through the sink; its outcome (or its throw, as `failed`
   * with the error's `code`) becomes the final status event.
   *
   * @example
   * const run = getRunRegistry().start({ kind: "chain", target, params }, (sink) => chain(sink));
   */
  start(input: StartRunInput, work: RunWork): RunSummary;
  /** Asks a live run to stop after the hop in flight; false when it is not running here. */
  stop(runId: string): boolean;
  get(runId: string): RunSummary | undefined;
  /** Newest first. */
  list(limit?: number): RunSummary[];
  /** Hop records with hop number > `after`, in hop order. Throws `RunNotFound`. */
  hops(runId: string, after: number, limit: number): HopRecord[];
  /** The run's graph: saved snapshot + fold of later events. Throws `RunNotFound`. */
  graph(runId: string): GraphModel;
  /** The hop log as a streamed CSV. Throws `RunNotFound`. */
  csv(runId: string): ReadableStream<Uint8Array>;
  /** Stored events with seq > `afterSeq`, oldest first, at most `limit`. */
  eventsAfter(runId: string, afterSeq: number, limit: number): RunEvent[];
  /**
   * Replays stored events after `afterSeq`, then delivers live ones: each seq exactly once, in
   * order. Returns the unsubscribe function. Throws `RunNotFound`.
   */
  subscribe(runId: string, afterSeq: number, listener: RunEventListener): () => void;
}

export interface RunRegistryOptions {
  store?: RunStore;
  /** Used when no `store` is given; default `ROLECHAIN_DATA_DIR` or `.rolechain`. */
  dataDir?: string;
  bus?: RunBus;
  now?: () => Date;
  createId?: () => string;
  /** Save the graph fold into the runs row every this many hops (and at the end). */
  snapshotEvery?: number;
  isProcessAlive?: (pid: number) => boolean;
  /** How work is scheduled after `start` returns (tests may run it synchronously). */
  schedule?: (task: () => void) => void;
  /**
   * Pauses before retrying a final write the store refused (a locked or briefly unavailable
   * database); one retry per entry. Default: about a minute in all.
   */
  finishRetryDelaysMs?: readonly number[];
  /** How those pauses are waited (tests pass one that returns at once). */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_LIST_LIMIT = 50;
export const FINISH_RETRY_DELAYS_MS: readonly number[] = [250, 1_000, 4_000, 15_000, 40_000];

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A run's final status: anything but `running`. */
export function isFinalStatus(status: RunStatus): boolean {
  return status !== "running";
}

interface LiveRun {
  summary: RunSummary;
  folder: GraphFolder;
  controller: AbortController;
  stopRequested: boolean;
  closed: boolean;
}

class ServerRunRegistry implements RunRegistry {
  readonly #store: RunStore;
  readonly #bus: RunBus;
  readonly #now: () => Date;
  readonly #createId: () => string;
  readonly #snapshotEvery: number;
  readonly #schedule: (task: () => void) => void;
  readonly #finishRetryDelaysMs: readonly number[];
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #live = new Map<string, LiveRun>();

  constructor(options: RunRegistryOptions) {
    this.#store = options.store ?? new RunStore({ dataDir: options.dataDir, now: options.now });
    this.#bus = options.bus ?? new RunBus();
    this.#now = options.now ?? (() => new Date());
    this.#createId = options.createId ?? createRunIdFactory({ now: () => this.#now().getTime() });
    this.#snapshotEvery = options.snapshotEvery ?? 1000;
    this.#schedule = options.schedule ?? ((task) => setImmediate(task));
    this.#finishRetryDelaysMs = options.finishRetryDelaysMs ?? FINISH_RETRY_DELAYS_MS;
    this.#sleep = options.sleep ?? sleepMs;
    this.#store.recoverInterrupted(
      (run, events) => foldEvents(events, run.graph ?? undefined),
      options.isProcessAlive,
    );
  }

  start(input: StartRunInput, work: RunWork): RunSummary {
    const id = this.#createId();
    const startedAt = this.#now().toISOString();
    this.#store.createRun({ id, startedAt, ...input });
    const live: LiveRun = {
      summary: {
        id,
        kind: input.kind,
        status: "running",
        target: input.target,
        params: input.params,
        startedAt,
        finishedAt: null,
        hops: 0,
        errors: 0,
        error: null,
      },
      folder: new GraphFolder(),
      controller: new AbortController(),
      stopRequested: false,
      closed: false,
    };
    this.#live.set(id, live);
    this.#record(live, { type: "status", data: { status: "running" } });
    this.#schedule(() => void this.#run(live, work));
    return { ...live.summary };
  }

  stop(runId: string): boolean {
    const live = this.#live.get(runId);
    if (!live || live.closed) return false;
    if (live.stopRequested) return true;
    live.stopRequested = true;
    const message = "Stop requested: finishing the hop in flight.";
    this.#record(live, { type: "status", data: { status: "running", message } });
    live.controller.abort(new RunsError("RunClosed", message));
    return true;
  }

  get(runId: string): RunSummary | undefined {
    const live = this.#live.get(runId);
    if (live) return { ...live.summary };
    const stored = this.#store.getRun(runId);
    return stored ? toSummary(stored) : undefined;
  }

  list(limit = DEFAULT_LIST_LIMIT): RunSummary[] {
    return this.#store.listRuns(limit).map((run) => {
      const live = this.#live.get(run.id);
      return live ? { ...live.summary } : toSummary(run);
    });
  }

  hops(runId: string, after: number, limit: number): HopRecord[] {
    this.#mustExist(runId);
    return this.#store.hopsAfter(runId, after, limit);
  }

  graph(runId: string): GraphModel {
    const live = this.#live.get(runId);
    if (live) return live.folder.snapshot();
    const run = this.#store.getRun(runId);
    if (!run) throw notFound(runId);
    return foldEvents(this.#store.iterateEvents(runId, run.graphSeq), run.graph ?? undefined);
  }

  csv(runId: string): ReadableStream<Uint8Array> {
    this.#mustExist(runId);
    return createHopCsvStream((cursor, limit) => {
      const events = this.#store.hopEventsAfterSeq(runId, cursor, limit);
      const hops = events.flatMap((event) => (event.type === "hop" ? [event.data] : []));
      return { hops, next: events.at(-1)?.seq ?? cursor };
    });
  }

  eventsAfter(runId: string, afterSeq: number, limit: number): RunEvent[] {
    return this.#store.eventsAfter(runId, afterSeq, limit);
  }

  subscribe(runId: string, afterSeq: number, listener: RunEventListener): () => void {
    this.#mustExist(runId);
    let delivered = afterSeq;
    const deliver = (event: RunEvent) => {
      if (event.seq <= delivered) return;
      delivered = event.seq;
      listener(event);
    };
    // Live events that arrive while replaying (only if a listener emits) wait their turn.
    let pending: RunEvent[] | null = [];
    const unsubscribe = this.#bus.subscribe(runId, (event) => {
      if (pending) pending.push(event);
      else deliver(event);
    });
    try {
      for (const event of this.#store.iterateEvents(runId, afterSeq)) deliver(event);
      for (const event of pending) deliver(event);
    } catch (error) {
      unsubscribe();
      throw error;
    } finally {
      pending = null;
    }
    return unsubscribe;
  }

  async #run(live: LiveRun, work: RunWork): Promise<void> {
    let outcome: RunOutcome;
    try {
      outcome = checkOutcome(await work(this.#sinkFor(live)));
    } catch (error) {
      outcome = { status: "failed", error: toRunError(error) };
    }
    await this.#finishWithRetries(live, outcome);
  }

  /**
   * The final write, retried: a database locked by another process (busy_timeout spent) or a
   * full disk may clear, and until the final status is stored the run reads `running` and every
   * stream waits for its end. Nobody awaits this, so failures are logged, never thrown. If the
   * store never takes it, the final status still goes out on the bus (unstored, so not replayed)
   * so no stream hangs; the next server start marks the run `interrupted`, hops intact.
   */
  async #finishWithRetries(live: LiveRun, outcome: RunOutcome): Promise<void> {
    const delays = this.#finishRetryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      try {
        this.#finish(live, outcome);
        return;
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        const retryInMs = delays[attempt];
        console.error("runs.registry finish_failed", {
          runId: live.summary.id,
          code,
          attempt: attempt + 1,
          retryInMs: retryInMs ?? null,
          error,
        });
        if (retryInMs === undefined) {
          this.#publishUnstoredFinal(live, outcome);
          return;
        }
        await this.#sleep(retryInMs);
      }
    }
  }

  #publishUnstoredFinal(live: LiveRun, outcome: RunOutcome): void {
    // The run stays in the live map, so this server keeps answering its final status.
    const runId = live.summary.id;
    this.#bus.publish({
      seq: live.folder.lastSeq + 1,
      runId,
      type: "status",
      data: { status: outcome.status, error: outcome.error ?? null },
    });
  }

  #sinkFor(live: LiveRun): RunSink {
    return {
      runId: live.summary.id,
      emit: (event) => this.#emit(live, event),
      get stopRequested() {
        return live.stopRequested;
      },
      signal: live.controller.signal,
    };
  }

  #emit(live: LiveRun, input: RunEventInput): void {
    if (live.closed) {
      throw new RunsError("RunClosed", `Run ${live.summary.id} has already ended.`);
    }
    if (input.type === "status" && isFinalStatus(input.data.status)) {
      throw new RunsError(
        "InvalidEvent",
        "status: work reports its final status by returning a RunOutcome, not by emitting it.",
      );
    }
    if (input.type === "hop") {
      const data = {
        ...input.data,
        runId: live.summary.id,
        accessKeyId: maskAccessKeyId(input.data.accessKeyId),
      };
      this.#record(live, { type: "hop", data });
      return;
    }
    this.#record(live, input);
  }

  /** Store first, then counters and fold, then the bus: a hop anyone saw is in the CSV. */
  #record(live: LiveRun, input: RunEventInput): void {
    const event = this.#store.append(live.summary.id, input);
    live.folder.apply(event);
    if (event.type === "hop") {
      live.summary.hops += 1;
      if (event.data.status === "error") live.summary.errors += 1;
      if (live.summary.hops % this.#snapshotEvery === 0) {
        const { hops, errors } = live.summary;
        this.#store.saveProgress(live.summary.id, { hops, errors, graph: live.folder.snapshot() });
      }
    }
    this.#bus.publish(event);
  }

  #finish(live: LiveRun, outcome: RunOutcome): void {
    const error = outcome.error ?? null;
    live.closed = true;
    live.summary.status = outcome.status;
    live.summary.error = error;
    live.summary.finishedAt = this.#now().toISOString();
    const event = this.#store.finish(live.summary.id, {
      status: outcome.status,
      error,
      hops: live.summary.hops,
      errors: live.summary.errors,
      graph: live.folder.snapshot(),
    });
    live.folder.apply(event);
    this.#live.delete(live.summary.id);
    this.#bus.publish(event);
  }

  #mustExist(runId: string): void {
    if (!this.#live.has(runId) && !this.#store.getRun(runId)) throw notFound(runId);
  }
}

function notFound(runId: string): RunsError {
  return new RunsError("RunNotFound", `No run with id ${runId}.`);
}

function toSummary(run: RunSummary): RunSummary {
  const { id, kind, status, target, params, startedAt, finishedAt, hops, errors, error } = run;
  return { id, kind, status, target, params, startedAt, finishedAt, hops, errors, error };
}

const OUTCOME_STATUSES = new Set<string>(["completed", "stopped", "failed"]);

function checkOutcome(outcome: RunOutcome): RunOutcome {
  if (outcome && OUTCOME_STATUSES.has(outcome.status)) return outcome;
  return {
    status: "failed",
    error: {
      code: "InvalidOutcome",
      message: "The run's work ended without a status of completed, stopped or failed.",
    },
  };
}

/** The thrown error's own `code` and message; secrets never travel in our errors. */
export function toRunError(error: unknown): RunError {
  const source = error as { code?: unknown; name?: unknown; message?: unknown; hint?: unknown };
  const code =
    typeof source?.code === "string"
      ? source.code
      : typeof source?.name === "string" && source.name !== "Error"
        ? source.name
        : "InternalError";
  const message =
    typeof source?.message === "string" && source.message ? source.message : String(error);
  const hint = typeof source?.hint === "string" ? source.hint : undefined;
  return hint ? { code, message, hint } : { code, message };
}

const REGISTRY_KEY = Symbol.for("rolechain.runs.registry");
type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: RunRegistry };

/** A registry with its own store: for tests and tools; the app uses `getRunRegistry()`. */
export function createRunRegistry(options: RunRegistryOptions = {}): RunRegistry {
  return new ServerRunRegistry(options);
}

/**
 * The process's one registry. Kept on `globalThis` because Next can evaluate this module more
 * than once (per route bundle, and again on hot reload); two registries would split the bus.
 */
export function getRunRegistry(): RunRegistry {
  const holder = globalThis as GlobalWithRegistry;
  holder[REGISTRY_KEY] ??= createRunRegistry();
  return holder[REGISTRY_KEY];
}
