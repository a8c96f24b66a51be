import "server-only";

/** What went wrong in the run registry, as a value routes can map to an HTTP status. */
export type RunsErrorCode = "RunNotFound" | "RunClosed" | "InvalidEvent";

export class RunsError extends Error {
  constructor(
    readonly code: RunsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RunsError";
  }
}

export function isRunsError(value: unknown): value is RunsError {
  return value instanceof RunsError;
}
