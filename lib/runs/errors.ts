import "server-only";

/** What went wrong in the run registry, as a value routes can map to an HTTP status. */
export type RunsErrorCode = "RunNotFound" | "RunClosed" | "InvalidEvent" | "StoreUnavailable";

export class RunsError extends Error {
  /** What the person can do about it, when there is something. */
  readonly hint?: string;

  constructor(
    readonly code: RunsErrorCode,
    message: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(message, options);
    this.name = "RunsError";
    if (options?.hint) this.hint = options.hint;
  }
}

export function isRunsError(value: unknown): value is RunsError {
  return value instanceof RunsError;
}
