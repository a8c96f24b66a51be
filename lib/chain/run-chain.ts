import "server-only";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { createStsClient, errorCodeOf, errorMessageOf, type Target } from "@/lib/aws";
import { MAX_ATTEMPTS, type Sleep, sleep, withRetries } from "@/lib/aws/retry";
import { createSwitchableCredentials } from "@/lib/aws/switchable-credentials";
import type { RunOutcome } from "@/lib/runs/registry";
import type { RunSink } from "@/lib/runs/types";
import type { ChainOptions } from "./chain-options";
import type { ChainPlan } from "./chain-plan";
import { type HopContext, type Identity, makeHop, type RegionClient } from "./make-hop";
import { compileSessionName } from "./session-name";
import { formatTransitiveTags } from "./session-tags";

/** What the engine takes from outside, so tests and benchmarks can steer time and chance. */
export interface ChainDeps {
  /** Epoch milliseconds, fractional allowed. */
  now?: () => number;
  random?: () => number;
  sleep?: Sleep;
  /** Attempts per call, first try included (default 8). */
  maxAttempts?: number;
  createStsClient?: typeof createStsClient;
}

const preciseNow = () => performance.timeOrigin + performance.now();

/**
 * Runs a chain plan hop by hop, emitting one `hop` event per hop (its final outcome) and a
 * `progress` event per retry. Ends `completed`, `failed` on the first hop that fails for good,
 * or `stopped` (checked between hops; `sink.signal` cuts the interval and backoff waits).
 *
 * Per hop it costs one AssumeRole (plus one GetCallerIdentity when verifying) and one event:
 * no logging, no client construction, nothing kept, so memory stays flat however long the run.
 *
 * @example
 * const outcome = await runChain(target, pingPongPlan(base, a, b, 2000), options, sink);
 */
export async function runChain(
  target: Target,
  plan: ChainPlan,
  options: ChainOptions,
  sink: RunSink,
  deps: ChainDeps = {},
): Promise<RunOutcome> {
  const makeClient = deps.createStsClient ?? createStsClient;
  const clients = new Map<string, RegionClient>();
  const clientFor = (region: string): RegionClient => {
    let regional = clients.get(region);
    if (!regional) {
      const credentials = createSwitchableCredentials();
      regional = { client: makeClient(target, credentials.provider, region), credentials };
      clients.set(region, regional);
    }
    return regional;
  };
  const context: HopContext = {
    sink,
    options,
    sessionName: compileSessionName(options.sessionNameTemplate, sink.runId),
    transitiveTags: formatTransitiveTags(options.sessionTags, options.transitiveTagKeys),
    clientFor,
    defaultRegion: target.region,
    now: deps.now ?? preciseNow,
    random: deps.random ?? Math.random,
    sleep: deps.sleep ?? sleep,
    maxAttempts: deps.maxAttempts ?? MAX_ATTEMPTS,
    capChainedDuration: false,
  };

  try {
    const base = await resolveBase(target, plan, context);
    if (!base.ok) return base.outcome;
    let current = base.identity;
    let hop = 0;
    for (const planned of plan.hops()) {
      if (sink.stopRequested) return { status: "stopped" };
      if (hop > 0 && options.intervalMs > 0) {
        await context.sleep(options.intervalMs, sink.signal);
        if (sink.stopRequested) return { status: "stopped" };
      }
      const result = await makeHop(context, hop, planned, current);
      sink.emit({ type: "hop", data: result.record });
      if (!result.ok) {
        return result.stopped ? { status: "stopped" } : { status: "failed", error: result.error };
      }
      current = result.next;
      hop++;
    }
    return { status: "completed" };
  } finally {
    for (const { client } of clients.values()) client.destroy();
  }
}

type BaseResult = { ok: true; identity: Identity } | { ok: false; outcome: RunOutcome };

/** The base's credentials and ARN: the target's caller, or a profile's keys (asked once). */
async function resolveBase(
  target: Target,
  plan: ChainPlan,
  context: HopContext,
): Promise<BaseResult> {
  let credentials: AwsCredentialIdentity;
  try {
    const source = plan.base.credentials;
    credentials = typeof source === "function" ? await source() : source;
  } catch (error) {
    return baseFailure(error, "Could not load the base credentials");
  }
  let arn = plan.base.arn;
  if (arn === undefined) {
    const regional = context.clientFor(plan.base.region ?? target.region);
    try {
      const caller = await withRetries(
        () => {
          regional.credentials.set(credentials);
          return regional.client.send(new GetCallerIdentityCommand({}));
        },
        { random: context.random, sleep: context.sleep, signal: context.sink.signal },
      );
      arn = caller.Arn ?? "";
    } catch (error) {
      return baseFailure(error, "The base credentials were refused (GetCallerIdentity)");
    }
  }
  return {
    ok: true,
    identity: { credentials, arn, isRoleSession: arn.includes(":assumed-role/") },
  };
}

function baseFailure(error: unknown, what: string): BaseResult {
  return {
    ok: false,
    outcome: {
      status: "failed",
      error: { code: errorCodeOf(error), message: `${what}: ${errorMessageOf(error)}` },
    },
  };
}
