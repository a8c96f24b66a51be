import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { GraphModel } from "@/lib/graph/types";
import { RunsError } from "./errors";
import type {
  HopRecord,
  RunError,
  RunEvent,
  RunEventInput,
  RunKind,
  RunStatus,
  RunSummary,
  TargetKind,
} from "./types";

/**
 * The durable run store: one SQLite file in WAL mode.
 *
 * Durability: every append is its own committed transaction with `synchronous = NORMAL`. In WAL
 * mode that commit has reached the operating system (the WAL file) before `append` returns, so a
 * `kill -9` of the server loses nothing that was appended; only a power cut or kernel crash can
 * lose the last commits, which this dashboard accepts in exchange for appends without fsync.
 *
 * Nothing here may hold a secret: hop records carry masked access key ids only.
 */

export const DATABASE_FILE = "rolechain.db";

export interface NewRun {
  id: string;
  kind: RunKind;
  target: TargetKind;
  params: Record<string, unknown>;
  startedAt: string;
}

export interface StoredRun extends RunSummary {
  /** The graph fold as of `graphSeq`, or null when none was saved yet. */
  graph: GraphModel | null;
  graphSeq: number;
}

export interface FinishedRun {
  status: Exclude<RunStatus, "running">;
  error: RunError | null;
  hops: number;
  errors: number;
  /** The final fold; its `lastSeq` is set to the final status event's seq. */
  graph: GraphModel;
}

export interface RunStoreOptions {
  /** Directory of the database; default `ROLECHAIN_DATA_DIR` or `.rolechain`. */
  dataDir?: string;
  now?: () => Date;
}

/** Why a run found `running` at open time is now `interrupted`. */
export const SERVER_STOPPED: RunError = {
  code: "ServerStopped",
  message: "The server stopped while this run was in progress; the hops stored before are kept.",
  hint: "Start the chain again to continue.",
};

interface RunRow {
  id: string;
  kind: RunKind;
  status: RunStatus;
  target: TargetKind;
  params: string;
  started_at: string;
  finished_at: string | null;
  hops: number;
  errors: number;
  error: string | null;
  graph: string | null;
  graph_seq: number;
}

interface EventRow {
  run_id: string;
  seq: number;
  type: RunEvent["type"];
  data: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  target TEXT NOT NULL,
  params TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  hops INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  graph TEXT,
  graph_seq INTEGER NOT NULL DEFAULT 0,
  pid INTEGER
);
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  hop INTEGER,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS events_by_hop ON events (run_id, hop) WHERE hop IS NOT NULL;
`;

/**
 * Opens (or creates) the database in WAL mode with our schema. A file that is not a database, a
 * directory that refuses writes or a lock held too long becomes one `StoreUnavailable` error
 * naming the file, with SQLite's own code and the error as its cause.
 */
function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown } | null)?.code;
    const reason = error instanceof Error ? error.message : String(error);
    throw new RunsError(
      "StoreUnavailable",
      `The run store ${file} could not be opened (${String(code ?? "unknown")}: ${reason}).`,
      {
        cause: error,
        hint:
          "Check that ROLECHAIN_DATA_DIR is writable and no other program holds the file; " +
          "if the file is damaged, move it aside and restart (a new one is created).",
      },
    );
  }
}

export function resolveDataDir(dataDir?: string): string {
  // A run-time location: tell Turbopack's file tracing not to bundle the project for it.
  return path.resolve(
    /*turbopackIgnore: true*/ dataDir ?? process.env.ROLECHAIN_DATA_DIR ?? ".rolechain",
  );
}

export class RunStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #lastSeq = new Map<string, number>();
  readonly #sql;
  readonly #finishTx: (runId: string, result: FinishedRun) => RunEvent;
  readonly #appendManyTx: (runId: string, inputs: Iterable<RunEventInput>) => RunEvent[];

  constructor(options: RunStoreOptions = {}) {
    const dir = resolveDataDir(options.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(/*turbopackIgnore: true*/ dir, DATABASE_FILE);
    this.#now = options.now ?? (() => new Date());
    this.#db = openDatabase(this.file);
    const db = this.#db;
    this.#sql = {
      insertRun: db.prepare(
        `INSERT INTO runs (id, kind, status, target, params, started_at, pid)
         VALUES (@id, @kind, 'running', @target, @params, @startedAt, @pid)`,
      ),
      insertEvent: db.prepare(
        "INSERT INTO events (run_id, seq, type, hop, data) VALUES (?, ?, ?, ?, ?)",
      ),
      maxSeq: db.prepare("SELECT MAX(seq) AS seq FROM events WHERE run_id = ?"),
      getRun: db.prepare("SELECT * FROM runs WHERE id = ?"),
      listRuns: db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT ?"),
      eventsAfter: db.prepare(
        "SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
      ),
      hopEventsAfterSeq: db.prepare(
        "SELECT * FROM events WHERE run_id = ? AND type = 'hop' AND seq > ? ORDER BY seq LIMIT ?",
      ),
      hopsAfter: db.prepare(
        "SELECT * FROM events WHERE run_id = ? AND hop > ? ORDER BY hop, seq LIMIT ?",
      ),
      countHops: db.prepare(
        `SELECT COUNT(*) AS hops,
                COALESCE(SUM(json_extract(data, '$.status') = 'error'), 0) AS errors
         FROM events WHERE run_id = ? AND type = 'hop'`,
      ),
      saveProgress: db.prepare(
        "UPDATE runs SET hops = ?, errors = ?, graph = ?, graph_seq = ? WHERE id = ?",
      ),
      finish: db.prepare(
        `UPDATE runs SET status = ?, finished_at = ?, hops = ?, errors = ?, error = ?,
                graph = ?, graph_seq = ? WHERE id = ?`,
      ),
      runningRuns: db.prepare("SELECT id, pid FROM runs WHERE status = 'running'"),
    };
    this.#appendManyTx = db.transaction((runId: string, inputs: Iterable<RunEventInput>) =>
      Array.from(inputs, (input) => this.append(runId, input)),
    );
    this.#finishTx = db.transaction((runId: string, result: FinishedRun): RunEvent => {
      const { status, error, hops, errors } = result;
      const event = this.append(runId, { type: "status", data: { status, error } });
      const graph = { ...result.graph, lastSeq: event.seq };
      this.#sql.finish.run(
        status,
        this.#now().toISOString(),
        hops,
        errors,
        error ? JSON.stringify(error) : null,
        JSON.stringify(graph),
        graph.lastSeq,
        runId,
      );
      return event;
    });
  }

  /** Runs left `running` by a dead process become `interrupted`; returns their ids. */
  recoverInterrupted(
    fold: (run: StoredRun, events: Iterable<RunEvent>) => GraphModel,
    isProcessAlive: (pid: number) => boolean = (pid) => isOtherProcessAlive(pid, this.file),
  ): string[] {
    const rows = this.#sql.runningRuns.all() as { id: string; pid: number | null }[];
    const recovered: string[] = [];
    for (const row of rows) {
      if (row.pid !== null && isProcessAlive(row.pid)) continue;
      const run = this.getRun(row.id);
      if (!run) continue;
      const graph = fold(run, this.iterateEvents(row.id, run.graphSeq));
      const { hops, errors } = this.countHops(row.id);
      this.finish(row.id, { status: "interrupted", error: SERVER_STOPPED, hops, errors, graph });
      recovered.push(row.id);
    }
    return recovered;
  }

  createRun(run: NewRun): void {
    this.#sql.insertRun.run({
      id: run.id,
      kind: run.kind,
      target: run.target,
      params: JSON.stringify(run.params),
      startedAt: run.startedAt,
      pid: process.pid,
    });
    this.#lastSeq.set(run.id, 0);
  }

  /** Appends one event durably and returns it with its sequence number (1, 2, …). */
  append(runId: string, input: RunEventInput): RunEvent {
    const seq = this.#nextSeq(runId);
    const hop = input.type === "hop" ? input.data.hop : null;
    this.#sql.insertEvent.run(runId, seq, input.type, hop, JSON.stringify(input.data));
    this.#lastSeq.set(runId, seq);
    return { seq, runId, ...input } as RunEvent;
  }

  /** Appends many events in one transaction (imports, fixtures): ~5x faster than one by one. */
  appendMany(runId: string, inputs: Iterable<RunEventInput>): RunEvent[] {
    return this.#appendManyTx(runId, inputs);
  }

  lastSeq(runId: string): number {
    return this.#lastSeq.get(runId) ?? this.#readMaxSeq(runId);
  }

  getRun(id: string): StoredRun | undefined {
    const row = this.#sql.getRun.get(id) as RunRow | undefined;
    return row ? toStoredRun(row) : undefined;
  }

  listRuns(limit: number): StoredRun[] {
    return (this.#sql.listRuns.all(limit) as RunRow[]).map(toStoredRun);
  }

  eventsAfter(runId: string, afterSeq: number, limit: number): RunEvent[] {
    return (this.#sql.eventsAfter.all(runId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  /** Every event after `afterSeq`, read page by page so memory stays flat. */
  *iterateEvents(runId: string, afterSeq: number, pageSize = 1000): Generator<RunEvent> {
    let cursor = afterSeq;
    for (;;) {
      const page = this.eventsAfter(runId, cursor, pageSize);
      yield* page;
      const last = page.at(-1);
      if (!last || page.length < pageSize) return;
      cursor = last.seq;
    }
  }

  /** Hop records in event order after sequence number `afterSeq` (for the CSV export). */
  hopEventsAfterSeq(runId: string, afterSeq: number, limit: number): RunEvent[] {
    return (this.#sql.hopEventsAfterSeq.all(runId, afterSeq, limit) as EventRow[]).map(toEvent);
  }

  /** Hop records with hop number greater than `afterHop`, in hop order (for the hop log). */
  hopsAfter(runId: string, afterHop: number, limit: number): HopRecord[] {
    const rows = this.#sql.hopsAfter.all(runId, afterHop, limit) as EventRow[];
    return rows.map((row) => JSON.parse(row.data) as HopRecord);
  }

  countHops(runId: string): { hops: number; errors: number } {
    return this.#sql.countHops.get(runId) as { hops: number; errors: number };
  }

  saveProgress(runId: string, progress: { hops: number; errors: number; graph: GraphModel }) {
    const { hops, errors, graph } = progress;
    this.#sql.saveProgress.run(hops, errors, JSON.stringify(graph), graph.lastSeq, runId);
  }

  /**
   * Appends the run's final status event and records the outcome in one transaction, so a crash
   * can never leave a final event on a run still marked `running` (or the reverse).
   */
  finish(runId: string, result: FinishedRun): RunEvent {
    try {
      return this.#finishTx(runId, result);
    } catch (error) {
      // The transaction rolled back its status event: forget the seq it took, read it again.
      this.#lastSeq.delete(runId);
      throw error;
    }
  }

  close(): void {
    this.#db.close();
  }

  #nextSeq(runId: string): number {
    const last = this.#lastSeq.get(runId) ?? this.#readMaxSeq(runId);
    return last + 1;
  }

  #readMaxSeq(runId: string): number {
    const row = this.#sql.maxSeq.get(runId) as { seq: number | null };
    return row.seq ?? 0;
  }
}

function toStoredRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    target: row.target,
    params: JSON.parse(row.params) as Record<string, unknown>,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    hops: row.hops,
    errors: row.errors,
    error: row.error ? (JSON.parse(row.error) as RunError) : null,
    graph: row.graph ? (JSON.parse(row.graph) as GraphModel) : null,
    graphSeq: row.graph_seq,
  };
}

function toEvent(row: EventRow): RunEvent {
  return {
    seq: row.seq,
    runId: row.run_id,
    type: row.type,
    data: JSON.parse(row.data),
  } as RunEvent;
}

/**
 * Whether the server that marked a run `running` may still be running it. This very process
 * cannot be (the old handle is gone). Another pid must exist (signal 0) and, where /proc can
 * tell (Linux), hold the database open: after a restart in a container the old server's pid
 * often belongs to some other process, and the run must not stay `running` for ever.
 */
export function isOtherProcessAlive(pid: number, databaseFile?: string): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (databaseFile === undefined) return true;
  return holdsFile(pid, databaseFile) ?? true;
}

/** Whether `pid` has `file` open, read from /proc; undefined where that cannot be known. */
function holdsFile(pid: number, file: string): boolean | undefined {
  let fds: string[];
  let target: string;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
    target = fs.realpathSync(file);
  } catch {
    // No /proc (macOS), or another user's process: fall back to "it exists".
    return undefined;
  }
  return fds.some((fd) => readLink(`/proc/${pid}/fd/${fd}`) === target);
}

function readLink(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    // The descriptor closed between listing and reading: it holds nothing.
    return undefined;
  }
}
