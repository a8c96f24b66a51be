import { GetUserCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxKnobs } from "./contracts";
import { sdkError, startTestSandbox, type TestSandbox } from "./test-support";

/** A random source that plays back the given numbers, then repeats the last one. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] as number;
}

describe("knobs", () => {
  let t: TestSandbox;
  const random = { next: sequence(0.5) };
  beforeAll(async () => {
    t = await startTestSandbox({ random: () => random.next() });
  });
  afterAll(() => t.close());

  it("throttling rate 1 answers every request with Throttling 400 'Rate exceeded'", async () => {
    t.sandbox.setKnobs({ throttleRate: 1 });
    try {
      const error = await sdkError(() => t.sts.send(new GetCallerIdentityCommand({})));
      expect(error).toMatchObject({ code: "Throttling", status: 400, message: "Rate exceeded" });
    } finally {
      t.sandbox.setKnobs({ throttleRate: 0 });
    }
  });

  it("fault rate 1 answers every request with 500 ServiceFailure", async () => {
    t.sandbox.setKnobs({ faultRate: 1 });
    try {
      const error = await sdkError(() => t.iam.send(new GetUserCommand({})));
      expect(error).toMatchObject({ code: "ServiceFailure", status: 500 });
    } finally {
      t.sandbox.setKnobs({ faultRate: 0 });
    }
  });

  it("draws from the injected random source: below the rate throttles, above passes", async () => {
    random.next = sequence(0.29, 0.31);
    t.sandbox.setKnobs({ throttleRate: 0.3 });
    try {
      expect((await sdkError(() => t.sts.send(new GetCallerIdentityCommand({})))).code).toBe(
        "Throttling",
      );
      await expect(t.sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    } finally {
      t.sandbox.setKnobs({ throttleRate: 0 });
    }
  });

  it("adds the configured latency to every request", async () => {
    t.sandbox.setKnobs({ latencyMs: 150 });
    try {
      const started = performance.now();
      await t.sts.send(new GetCallerIdentityCommand({}));
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      t.sandbox.setKnobs({ latencyMs: 0 });
    }
  });

  it("counts requests by action", async () => {
    const before = t.sandbox.stats();
    await t.iam.send(new GetUserCommand({}));
    const after = t.sandbox.stats();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.byAction.GetUser).toBe((before.byAction.GetUser ?? 0) + 1);
  });

  it.each([
    [{ throttleRate: 1.5 }, /knobs\.throttleRate: must be between 0 and 1/],
    [{ faultRate: -0.1 }, /knobs\.faultRate/],
    [{ latencyMs: Number.NaN }, /knobs\.latencyMs: must be a finite number/],
    [{ bogus: 1 }, /knobs\.bogus: unknown knob/],
  ])("refuses knobs %o, naming the knob and the rule", (knobs, message) => {
    // Deliberately outside the type: callers in plain JS (or from a parsed file) can do this.
    expect(() => t.sandbox.setKnobs(knobs as Partial<SandboxKnobs>)).toThrow(message);
  });
});

describe("injected clock", () => {
  it("dates what it creates by the injected clock plus the clock offset", async () => {
    const start = Date.UTC(2030, 0, 2, 3, 4, 5);
    const t = await startTestSandbox({ now: () => start, knobs: { clockOffsetMs: 60_000 } });
    try {
      // Requests are signed with the real clock; the client is told how far off it is.
      const { IAMClient, GetUserCommand: Get } = await import("@aws-sdk/client-iam");
      const iam = new IAMClient({
        endpoint: t.sandbox.url,
        region: "us-east-1",
        credentials: { ...t.sandbox.baseUser },
        systemClockOffset: start + 60_000 - Date.now(),
      });
      const { User } = await iam.send(new Get({}));
      expect(User?.CreateDate?.toISOString()).toBe("2030-01-02T03:05:05.000Z");
    } finally {
      await t.close();
    }
  });
});
