import { describe, expect, it } from "vitest";
import { backoffDelayMs, isTransientError, type RetryInfo, withRetries } from "./retry";

const awsError = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe("isTransientError", () => {
  it.each([
    [awsError("Throttling", 400), true],
    [awsError("ThrottlingException", 400), true],
    [awsError("RequestLimitExceeded", 400), true],
    [awsError("ServiceFailure", 500), true],
    [awsError("InternalFailure", 500), true],
    [awsError("SomethingNew", 503), true],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), true],
    [awsError("AccessDenied", 403), false],
    [awsError("ValidationError", 400), false],
    [new Error("plain"), false],
  ])("%o -> %s", (error, transient) => {
    expect(isTransientError(error)).toBe(transient);
  });
});

describe("backoffDelayMs", () => {
  it.each([
    [1, 0, 50],
    [1, 1, 100],
    [3, 0.5, 300],
    [7, 1, 5_000],
    [30, 1, 5_000],
  ])("retry %i with random %d waits %i ms", (retry, random, delay) => {
    expect(backoffDelayMs(retry, () => random)).toBe(delay);
  });
});

describe("withRetries", () => {
  it("retries transient errors with growing delays and reports each retry", async () => {
    const waits: number[] = [];
    const retries: RetryInfo[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw awsError("Throttling", 400);
        return "ok";
      },
      {
        random: () => 1,
        sleep: async (ms) => {
          waits.push(ms);
        },
        onRetry: (info) => retries.push(info),
      },
    );
    expect(result).toBe("ok");
    expect(waits).toEqual([100, 200]);
    expect(retries).toEqual([
      { attempt: 2, errorCode: "Throttling", delayMs: 100 },
      { attempt: 3, errorCode: "Throttling", delayMs: 200 },
    ]);
  });

  it("gives up after maxAttempts with the last error unchanged", async () => {
    const error = awsError("ServiceFailure", 500);
    let calls = 0;
    const attempt = withRetries(
      async () => {
        calls++;
        throw error;
      },
      { maxAttempts: 4, sleep: async () => {} },
    );
    await expect(attempt).rejects.toBe(error);
    expect(calls).toBe(4);
  });

  it("does not retry an error that is not transient", async () => {
    let calls = 0;
    const attempt = withRetries(async () => {
      calls++;
      throw awsError("AccessDenied", 403);
    });
    await expect(attempt).rejects.toMatchObject({ name: "AccessDenied" });
    expect(calls).toBe(1);
  });

  it("stops retrying once the signal aborts during a backoff", async () => {
    const controller = new AbortController();
    let calls = 0;
    const attempt = withRetries(
      async () => {
        calls++;
        throw awsError("Throttling", 400);
      },
      {
        signal: controller.signal,
        sleep: async () => controller.abort(),
      },
    );
    await expect(attempt).rejects.toMatchObject({ name: "Throttling" });
    expect(calls).toBe(1);
  });
});
