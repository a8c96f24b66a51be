import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listManagedRoles, provisionRoles } from "@/lib/provision";
import {
  type SandboxTarget,
  startQuietSandboxTarget,
} from "@/lib/provision/sandbox-kit.test-support";
import type { HopRecord, ProgressData } from "@/lib/runs/types";
import { DEFAULT_KNOBS } from "@/lib/sandbox";
import { type ChainRequest, validateChainRequest } from "./chain-options";
import { type ChainPlan, pingPongPlan } from "./chain-plan";
import { HINTS } from "./hints";
import { createMemorySink, type MemorySink } from "./memory-sink";
import { type ChainDeps, runChain } from "./run-chain";
import { prepareChain } from "./start-chain";

const PATH = "/rolechain/";
const PREFIX = "rolechain-";
const noWait: ChainDeps = { sleep: async () => {} };

const hopsOf = (sink: MemorySink): HopRecord[] =>
  sink.events.flatMap((event) => (event.type === "hop" ? [event.data] : []));
const progressOf = (sink: MemorySink): ProgressData[] =>
  sink.events.flatMap((event) => (event.type === "progress" ? [event.data] : []));

function request(input: Record<string, unknown>): ChainRequest {
  const validated = validateChainRequest(input);
  if (!validated.ok) throw new Error(`${validated.error.field}: ${validated.error.message}`);
  return validated.value;
}

describe("runChain against the sandbox", () => {
  let env: SandboxTarget;
  const run = async (input: Record<string, unknown>, sink = createMemorySink(), deps = noWait) => {
    const prepared = prepareChain(request(input), deps);
    if (!prepared.ok) throw new Error(prepared.error.message);
    const outcome = await prepared.value.run(env.target, sink);
    return { outcome, sink, hops: hopsOf(sink), progress: progressOf(sink) };
  };
  const roleArn = (index: number) =>
    `arn:aws:iam::${env.target.accountId}:role${PATH}${PREFIX}${index}`;

  beforeAll(async () => {
    env = await startQuietSandboxTarget();
    const sink = createMemorySink();
    const options = { count: 101, path: PATH, prefix: PREFIX, maxSessionDuration: 43_200 };
    expect(await provisionRoles(env.target, options, sink)).toEqual({ status: "completed" });
  });
  afterAll(async () => {
    await env?.close();
  });
  afterEach(() => {
    env.sandbox.setKnobs(DEFAULT_KNOBS);
  });

  it("runs a 100-hop linear chain as 101 hops, each starting where the last ended", async () => {
    const { outcome, hops } = await run({ mode: "linear", hops: 100 });

    expect(outcome).toEqual({ status: "completed" });
    expect(hops.map((hop) => hop.hop)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(hops[0]?.fromArn).toBe(env.target.callerArn);
    for (const [i, hop] of hops.entries()) {
      if (i > 0) expect(hop.fromArn).toBe(hops[i - 1]?.toArn);
      expect(hop.roleArn).toBe(roleArn(i + 1));
      expect(hop.toArn).toMatch(
        new RegExp(`^arn:aws:sts::${env.target.accountId}:assumed-role/${PREFIX}${i + 1}/`),
      );
    }
    const last = hops.at(-1) as HopRecord;
    expect(last).toMatchObject({
      status: "ok",
      attempts: 1,
      region: "us-east-1",
      profile: "",
      errorCode: "",
      sessionName: `rolechain-0000000000test-100`,
    });
    expect(last.accessKeyId).toMatch(/^ASIA…[A-Z0-9]{4}$/);
    expect(last.assumedRoleId).toMatch(/^AROA[A-Z0-9]+:rolechain-0000000000test-100$/);
    expect(Date.parse(last.expiration)).toBeGreaterThan(Date.now());
    expect(last.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("never puts a secret key or session token in an event", async () => {
    const { sink } = await run({ mode: "linear", hops: 3 });
    const text = JSON.stringify(sink.events);
    expect(text).not.toMatch(/SecretAccessKey|SessionToken|secretAccessKey|sessionToken/);
    expect(text).not.toContain(env.sandbox.baseUser.secretAccessKey);
    expect(text).not.toMatch(/ASIA[A-Z0-9]{12,}/);
  });

  it("refuses a linear chain longer than the managed roles, naming how many exist", async () => {
    const { outcome, hops } = await run({ mode: "linear", hops: 101 });

    expect(hops).toEqual([]);
    expect(outcome.status).toBe("failed");
    expect(outcome.error?.code).toBe("NotEnoughRoles");
    expect(outcome.error?.message).toContain("needs 102 managed roles");
    expect(outcome.error?.message).toContain("101 of them exist");
  });

  // A shared two-core machine can take tens of seconds for 2,001 calls: more room than usual.
  it("runs a 2,000-hop ping-pong between roles 1 and 2: 2,001 hops", {
    timeout: 180_000,
  }, async () => {
    const { outcome, hops } = await run({ mode: "pingpong", hops: 2000, verify: false });

    expect(outcome).toEqual({ status: "completed" });
    expect(hops).toHaveLength(2001);
    expect(hops.every((hop, i) => hop.hop === i && hop.roleArn === roleArn(1 + (i % 2)))).toBe(
      true,
    );
    expect(hops.every((hop, i) => i === 0 || hop.fromArn === hops[i - 1]?.toArn)).toBe(true);
  });

  it("C05: fails a chained hop asking 7200 s, with AWS's text and a plain hint", async () => {
    const { outcome, hops } = await run({ mode: "linear", hops: 3, durationSeconds: 7200 });

    expect(hops.map((hop) => hop.status)).toEqual(["ok", "error"]);
    const failed = hops[1] as HopRecord;
    expect(failed).toMatchObject({ hop: 1, errorCode: "ValidationError", toArn: "" });
    expect(failed.errorMessage).toContain(
      "1 hour session limit for roles assumed by role chaining",
    );
    expect(failed.hint).toBe(HINTS.chainedDuration);
    // Plain words beside AWS's text, not a copy of it: the limit, the number, the way out.
    expect(failed.hint).not.toBe(failed.errorMessage);
    expect(failed.hint).toMatch(/one hour/);
    expect(failed.hint).toMatch(/3600/);
    expect(failed.hint).toContain("Retry chained hops at 3600 s");
    expect(outcome).toMatchObject({
      status: "failed",
      error: { code: "ValidationError", hint: HINTS.chainedDuration },
    });
    const firstExpiry =
      Date.parse(hops[0]?.expiration ?? "") - Date.parse(hops[0]?.finishedAt ?? "");
    expect(firstExpiry).toBeGreaterThan(7000 * 1000);
  });

  it("C05: explains a first hop asking more than the role's MaxSessionDuration", async () => {
    const short = { count: 2, path: "/short/", prefix: "short-", maxSessionDuration: 3600 };
    expect(await provisionRoles(env.target, short, createMemorySink())).toEqual({
      status: "completed",
    });

    const { outcome, hops } = await run({
      mode: "linear",
      hops: 1,
      path: short.path,
      prefix: short.prefix,
      durationSeconds: 7200,
    });

    expect(hops.map((hop) => [hop.hop, hop.status, hop.errorCode])).toEqual([
      [0, "error", "ValidationError"],
    ]);
    expect(hops[0]?.errorMessage).toContain("MaxSessionDuration");
    expect(hops[0]?.hint).toBe(HINTS.roleMaxDuration);
    expect(outcome).toMatchObject({ status: "failed", error: { hint: HINTS.roleMaxDuration } });
  });

  it("C05: with the option on, retries the chained hop at 3600 after a notice", async () => {
    const { outcome, hops, progress } = await run({
      mode: "linear",
      hops: 3,
      durationSeconds: 7200,
      retryChainedDurationAt3600: true,
    });

    expect(outcome).toEqual({ status: "completed" });
    expect(hops.map((hop) => [hop.status, hop.attempts])).toEqual([
      ["ok", 1],
      ["ok", 2],
      ["ok", 1],
      ["ok", 1],
    ]);
    expect(progress).toEqual([
      expect.objectContaining({ phase: "notice", hop: 1, errorCode: "ValidationError" }),
    ]);
    expect(progress[0]?.message).toContain("retrying at 3600");
    const lifetime = (hop: HopRecord | undefined) =>
      Date.parse(hop?.expiration ?? "") - Date.parse(hop?.finishedAt ?? "");
    expect(lifetime(hops[1])).toBeLessThanOrEqual(3600 * 1000);
  });

  it("completes with throttling at 10%, every retry announced and counted", async () => {
    env.sandbox.setKnobs({ throttleRate: 0.1 });
    const delays: number[] = [];
    const deps: ChainDeps = {
      sleep: async (ms) => {
        delays.push(ms);
      },
    };
    const { outcome, hops, progress } = await run({ mode: "pingpong", hops: 299 }, undefined, deps);

    expect(outcome).toEqual({ status: "completed" });
    expect(hops).toHaveLength(300);
    const retries = progress.filter((data) => data.phase === "retry");
    const extraAttempts = hops.reduce((sum, hop) => sum + hop.attempts - 1, 0);
    expect(retries.length).toBeGreaterThan(0);
    expect(extraAttempts).toBe(retries.length);
    expect(retries.every((data) => data.errorCode === "Throttling")).toBe(true);
    expect(delays).toEqual(retries.map((data) => data.delayMs));
  });

  it("retries 500 ServiceFailure faults the same way", async () => {
    env.sandbox.setKnobs({ faultRate: 0.1 });
    const { outcome, progress } = await run({ mode: "pingpong", hops: 99 });

    expect(outcome).toEqual({ status: "completed" });
    expect(progress.some((data) => data.errorCode === "ServiceFailure")).toBe(true);
  });

  /** A ping-pong plan listed before a knob is turned, so only the hops feel the knob. */
  const pingPong = async (hops: number): Promise<ChainPlan> => {
    const [a, b] = await listManagedRoles(env.target, { path: PATH, prefix: PREFIX });
    if (!a || !b) throw new Error("roles 1 and 2 are missing");
    const base = { credentials: env.target.baseCredentials, arn: env.target.callerArn };
    return pingPongPlan(base, a, b, hops);
  };
  const defaults = request({ mode: "pingpong" }).options;

  it("gives up after 8 attempts and fails the run with the error on its hop", async () => {
    const plan = await pingPong(5);
    env.sandbox.setKnobs({ throttleRate: 1 });
    const sink = createMemorySink();
    const outcome = await runChain(env.target, plan, defaults, sink, noWait);

    const hops = hopsOf(sink);
    expect(hops).toHaveLength(1);
    expect(hops[0]).toMatchObject({ status: "error", errorCode: "Throttling", attempts: 8 });
    expect(progressOf(sink)).toHaveLength(7);
    expect(outcome).toMatchObject({ status: "failed", error: { code: "Throttling" } });
  });

  it("fails on AccessDenied for a role that is not new, without retrying", async () => {
    const sink = createMemorySink();
    const outcome = await runChain(
      env.target,
      {
        mode: "linear",
        total: 1,
        base: { credentials: env.target.baseCredentials, arn: env.target.callerArn },
        hops: () => [{ roleArn: roleArn(999), profile: "", roleCreatedAt: Date.now() - 120_000 }],
      },
      defaults,
      sink,
      noWait,
    );
    expect(outcome).toMatchObject({ status: "failed", error: { code: "AccessDenied" } });
    expect(hopsOf(sink)[0]).toMatchObject({
      status: "error",
      errorCode: "AccessDenied",
      attempts: 1,
    });
  });

  it("stops after the hop in flight when Stop is asked", async () => {
    const sink = createMemorySink(undefined, (event, self) => {
      if (event.type === "hop" && event.data.hop === 10) self.stop();
    });
    const { outcome, hops } = await run({ mode: "pingpong", hops: 1000 }, sink);

    expect(outcome).toEqual({ status: "stopped" });
    expect(hops.map((hop) => hop.hop)).toEqual(Array.from({ length: 11 }, (_, i) => i));
  });

  it("stops during a retry backoff, recording the hop's last error", async () => {
    const plan = await pingPong(10);
    env.sandbox.setKnobs({ throttleRate: 1 });
    const sink = createMemorySink(undefined, (event, self) => {
      if (event.type === "progress") self.stop();
    });
    const outcome = await runChain(env.target, plan, defaults, sink, noWait);

    expect(outcome).toEqual({ status: "stopped" });
    expect(hopsOf(sink)).toEqual([
      expect.objectContaining({
        hop: 0,
        status: "error",
        errorCode: "Throttling",
        attempts: 2,
        hint: HINTS.stoppedDuringRetry,
      }),
    ]);
  });

  it("carries tags, transitive keys and source identity from hop 0 down the chain", async () => {
    const { outcome, hops } = await run({
      mode: "linear",
      hops: 2,
      sessionTags: "team=platform\ncity=Zürich-東京",
      transitiveTagKeys: "city",
      sourceIdentity: "alice@example.com",
    });

    expect(outcome).toEqual({ status: "completed" });
    expect(hops.map((hop) => [hop.sourceIdentity, hop.transitiveTags])).toEqual([
      ["alice@example.com", "city=Zürich-東京"],
      ["alice@example.com", "city=Zürich-東京"],
      ["alice@example.com", "city=Zürich-東京"],
    ]);
  });

  it("retries AccessDenied on a role created moments ago as IAM propagation, visibly", async () => {
    env.sandbox.setKnobs({ propagationDelayMs: 400 });
    const options = { count: 2, path: "/fresh/", prefix: "fresh-", maxSessionDuration: 3600 };
    expect(await provisionRoles(env.target, options, createMemorySink())).toEqual({
      status: "completed",
    });
    // The real sleep: the sandbox's propagation delay runs on its own clock.
    const { outcome, hops, progress } = await run(
      { mode: "linear", hops: 1, path: "/fresh/", prefix: "fresh-" },
      createMemorySink(),
      {},
    );

    expect(outcome).toEqual({ status: "completed" });
    expect(hops[0]?.attempts).toBeGreaterThan(1);
    expect(progress[0]).toMatchObject({ phase: "retry", hop: 0, errorCode: "AccessDenied" });
    expect(progress[0]?.message).toContain("propagate");
  });
});

describe("chain options reach every hop", () => {
  it("keeps the interval between hops with the injected sleep", async () => {
    const env = await startQuietSandboxTarget();
    try {
      const roles = { count: 2, path: PATH, prefix: PREFIX, maxSessionDuration: 3600 };
      await provisionRoles(env.target, roles, createMemorySink());
      const waits: number[] = [];
      const prepared = prepareChain(request({ mode: "pingpong", hops: 3, intervalMs: 250 }), {
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      if (!prepared.ok) throw new Error(prepared.error.message);
      const outcome = await prepared.value.run(env.target, createMemorySink());
      expect(outcome).toEqual({ status: "completed" });
      expect(waits).toEqual([250, 250, 250]);
    } finally {
      await env.close();
    }
  });
});
