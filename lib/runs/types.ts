/**
 * The shapes that travel between the chain engine, the run store, the event stream, the graph
 * fold and the browser. Types only: safe to import from client components with `import type`.
 *
 * Nothing here may ever hold a secret access key or a session token.
 */

export type RunKind = "provision" | "teardown" | "chain";
export type ChainMode = "linear" | "pingpong" | "profiles";
export type RunStatus = "running" | "completed" | "stopped" | "failed" | "interrupted";
export type TargetKind = "sandbox" | "endpoint" | "aws";

/** A run as `GET /api/runs/:id` returns it. */
export interface RunSummary {
  id: string;
  kind: RunKind;
  status: RunStatus;
  target: TargetKind;
  /** Validated input of the run; for chains `params.mode` is the ChainMode. Never secrets. */
  params: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
  /** Hop records stored so far (chain runs); 0 for provision and teardown. */
  hops: number;
  /** Hop records whose status is `error`. */
  errors: number;
  /** Why the run failed or was interrupted, for a person. */
  error: RunError | null;
}

export interface RunError {
  code: string;
  message: string;
  /** What the person can do about it, where we know. */
  hint?: string;
}

/**
 * One hop: one AssumeRole (with its retries) from `fromArn` to `roleArn`.
 * Field names map 1:1 to the CSV columns of design.md (camelCase here, snake_case there).
 */
export interface HopRecord {
  runId: string;
  /** 0 is the base identity assuming the first role. Retries share the number. */
  hop: number;
  startedAt: string;
  finishedAt: string;
  latencyMs: number;
  /** ARN of the identity that called AssumeRole (base user ARN or assumed-role ARN). */
  fromArn: string;
  /** Assumed-role ARN obtained, or "" when the hop failed. */
  toArn: string;
  /** The role that was asked for. */
  roleArn: string;
  sessionName: string;
  assumedRoleId: string;
  /** Masked: `ASIA…WXYZ`. */
  accessKeyId: string;
  /** ISO 8601 UTC, or "" when the hop failed. */
  expiration: string;
  sourceIdentity: string;
  /** Transitive session tags carried by the new session, `Key=Value` joined by `;`. */
  transitiveTags: string;
  status: "ok" | "error";
  errorCode: string;
  errorMessage: string;
  attempts: number;
  /** Region the hop's STS request was signed for. Extra CSV column after `attempts`. */
  region: string;
  /** Profile whose role this hop assumed (profiles mode), else "". Extra CSV column. */
  profile: string;
  /** Plain-words explanation of an AWS error, where we have one (e.g. chained duration). */
  hint?: string;
}

export interface ProgressData {
  /** `provision`, `teardown`: items done of total. `retry`: a hop is being retried. */
  phase: "provision" | "teardown" | "retry" | "notice";
  done?: number;
  total?: number;
  /** The role or item this progress is about. */
  item?: string;
  /** For `retry`: which hop, which attempt is next, why and after how long. */
  hop?: number;
  attempt?: number;
  errorCode?: string;
  delayMs?: number;
  message?: string;
}

export interface StatusData {
  status: RunStatus;
  error?: RunError | null;
  /** Free text for a person, e.g. "retrying hop 4 at 3600 seconds". */
  message?: string;
}

export type RunEvent =
  | { seq: number; runId: string; type: "hop"; data: HopRecord }
  | { seq: number; runId: string; type: "progress"; data: ProgressData }
  | { seq: number; runId: string; type: "status"; data: StatusData };

/** An event before the store gives it a sequence number. */
export type RunEventInput =
  | { type: "hop"; data: HopRecord }
  | { type: "progress"; data: ProgressData }
  | { type: "status"; data: StatusData };

/**
 * Where running work reports to. The store implementation appends the event durably, then
 * publishes it on the bus, then returns. Work never touches the store or bus directly.
 */
export interface RunSink {
  readonly runId: string;
  emit(event: RunEventInput): void;
  /** True once `Stop` was asked for; work checks it between hops. */
  readonly stopRequested: boolean;
  /** Aborted when `Stop` is asked for, to cut short waits (interval, backoff). */
  readonly signal: AbortSignal;
}
