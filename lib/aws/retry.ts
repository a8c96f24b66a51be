import "server-only";
import { errorCodeOf, httpStatusOf } from "./error-code";

/** Waits `ms`, or less when `signal` aborts. Never rejects: callers look at `signal.aborted`. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/** Attempts per call, first try included: 7 retries cover ~13 s of backoff. */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

// Codes AWS documents as throttling or transient, plus what Node says when a socket dies.
const TRANSIENT_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
  "ServiceFailure",
  "InternalFailure",
  "ServiceUnavailable",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/** Throttling, a 5xx, or a network failure: worth trying again after a pause. */
export function isTransientError(error: unknown): boolean {
  if (TRANSIENT_CODES.has(errorCodeOf(error))) return true;
  const status = httpStatusOf(error);
  return status !== undefined && status >= 500;
}

/**
 * Exponential backoff with jitter: retry n waits between half and all of
 * min(cap, base * 2^(n-1)), so many clients throttled together spread out.
 */
export function backoffDelayMs(retry: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export interface RetryInfo {
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  errorCode: string;
  delayMs: number;
}

export interface RetryOptions {
  random?: () => number;
  sleep?: Sleep;
  signal?: AbortSignal;
  maxAttempts?: number;
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Calls `call` until it succeeds, fails with a non-transient error, runs out of attempts, or
 * `signal` aborts during a backoff; then throws the last error as it was.
 */
export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions = {}) {
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= maxAttempts || !isTransientError(error) || options.signal?.aborted) {
        throw error;
      }
      const delayMs = backoffDelayMs(attempt, random);
      options.onRetry?.({ attempt: attempt + 1, errorCode: errorCodeOf(error), delayMs });
      await wait(delayMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
