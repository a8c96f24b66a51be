import "server-only";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  type Credentials,
  GetCallerIdentityCommand,
  type STSClient,
} from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { errorCodeOf, errorMessageOf, maskAccessKeyId } from "@/lib/aws";
import { backoffDelayMs, isTransientError, type Sleep } from "@/lib/aws/retry";
import type { SwitchableCredentials } from "@/lib/aws/switchable-credentials";
import type { HopRecord, RunError, RunSink } from "@/lib/runs/types";
import type { ChainOptions } from "./chain-options";
import type { PlannedHop } from "./chain-plan";
import { chainedDurationNotice, HINTS } from "./hints";

/** The identity a hop starts from. */
export interface Identity {
  credentials: AwsCredentialIdentity;
  arn: string;
  /** True for role sessions: STS then treats the next AssumeRole as role chaining. */
  isRoleSession: boolean;
}

/** A regional STS client whose credentials the engine swaps before each call. */
export interface RegionClient {
  client: STSClient;
  credentials: SwitchableCredentials;
}

/** What stays the same for every hop of one run. */
export interface HopContext {
  sink: RunSink;
  options: ChainOptions;
  sessionName: (hop: number) => string;
  /** `Key=Value;…` of the transitive tags, the same on every hop's record. */
  transitiveTags: string;
  clientFor: (region: string) => RegionClient;
  defaultRegion: string;
  now: () => number;
  random: () => number;
  sleep: Sleep;
  maxAttempts: number;
  /** Set once a chained hop was retried at 3600: later chained hops ask 3600 at once. */
  capChainedDuration: boolean;
}

export type HopResult =
  | { ok: true; record: HopRecord; next: Identity }
  | { ok: false; record: HopRecord; error: RunError; stopped: boolean };

const PROPAGATION_WINDOW_MS = 60_000;
const CHAINED_LIMIT_SECONDS = 3600;

class HopFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly stopped = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One hop: AssumeRole from `from`, then (if verifying) GetCallerIdentity as the new session.
 * Transient failures and propagation delay are retried with backoff, each retry announced;
 * anything else ends the hop as an error record.
 */
export async function makeHop(
  context: HopContext,
  hop: number,
  planned: PlannedHop,
  from: Identity,
): Promise<HopResult> {
  const startedAt = context.now();
  const region = planned.region ?? context.defaultRegion;
  const regional = context.clientFor(region);
  const input = assumeRoleInput(context, hop, planned, from);
  const state = { attempts: 1 };
  const base = {
    runId: context.sink.runId,
    hop,
    fromArn: from.arn,
    roleArn: planned.roleArn,
    sessionName: input.RoleSessionName ?? "",
    region,
    profile: planned.profile,
  };

  try {
    const assumed = await callWithRetries(
      context,
      hop,
      state,
      planned,
      async () => {
        regional.credentials.set(from.credentials);
        return regional.client.send(new AssumeRoleCommand(input));
      },
      (error) => retryChainedAt3600(context, hop, state, input, from, error),
    );

    const credentials = toIdentity(assumed.Credentials);
    const toArn = assumed.AssumedRoleUser?.Arn ?? "";
    if (context.options.verify) {
      const caller = await callWithRetries(context, hop, state, undefined, async () => {
        regional.credentials.set(credentials);
        return regional.client.send(new GetCallerIdentityCommand({}));
      });
      if (caller.Arn !== toArn) {
        throw new HopFailure(
          "VerificationMismatch",
          `GetCallerIdentity returned ${caller.Arn ?? "no ARN"}; AssumeRole returned ${toArn}.`,
          HINTS.verificationMismatch,
        );
      }
    }

    const finishedAt = context.now();
    const record: HopRecord = {
      ...base,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      latencyMs: roundMs(finishedAt - startedAt),
      toArn,
      assumedRoleId: assumed.AssumedRoleUser?.AssumedRoleId ?? "",
      accessKeyId: maskAccessKeyId(credentials.accessKeyId),
      expiration: assumed.Credentials?.Expiration?.toISOString() ?? "",
      sourceIdentity: assumed.SourceIdentity ?? "",
      transitiveTags: context.transitiveTags,
      status: "ok",
      errorCode: "",
      errorMessage: "",
      attempts: state.attempts,
    };
    return { ok: true, record, next: { credentials, arn: toArn, isRoleSession: true } };
  } catch (thrown) {
    const failure = toHopFailure(thrown, input, from);
    const finishedAt = context.now();
    const record: HopRecord = {
      ...base,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      latencyMs: roundMs(finishedAt - startedAt),
      toArn: "",
      assumedRoleId: "",
      accessKeyId: "",
      expiration: "",
      sourceIdentity: "",
      transitiveTags: context.transitiveTags,
      status: "error",
      errorCode: failure.code,
      errorMessage: failure.message,
      attempts: state.attempts,
      ...(failure.hint ? { hint: failure.hint } : {}),
    };
    const error: RunError = {
      code: failure.code,
      message: `Hop ${hop} (${planned.roleArn}) failed: ${failure.message}`,
      ...(failure.hint ? { hint: failure.hint } : {}),
    };
    return { ok: false, record, error, stopped: failure.stopped };
  }
}

function assumeRoleInput(
  context: HopContext,
  hop: number,
  planned: PlannedHop,
  from: Identity,
): AssumeRoleCommandInput {
  const { options } = context;
  let duration = planned.durationSeconds ?? options.durationSeconds;
  if (context.capChainedDuration && from.isRoleSession && (duration ?? 0) > CHAINED_LIMIT_SECONDS) {
    duration = CHAINED_LIMIT_SECONDS;
  }
  const input: AssumeRoleCommandInput = {
    RoleArn: planned.roleArn,
    RoleSessionName: planned.roleSessionName ?? context.sessionName(hop),
  };
  if (duration !== undefined) input.DurationSeconds = duration;
  if (planned.externalId) input.ExternalId = planned.externalId;
  if (hop === 0) {
    if (options.sessionTags.length > 0) input.Tags = options.sessionTags;
    if (options.transitiveTagKeys.length > 0) input.TransitiveTagKeys = options.transitiveTagKeys;
    if (options.sourceIdentity) input.SourceIdentity = options.sourceIdentity;
  }
  return input;
}

/**
 * Case C05, recognised by what was asked, never by AWS's wording: a ValidationError on an
 * AssumeRole that asked more than an hour from a role session. Returns true when the caller
 * chose to retry at 3600: the input is changed and a notice goes out first, never silently.
 */
function retryChainedAt3600(
  context: HopContext,
  hop: number,
  state: { attempts: number },
  input: AssumeRoleCommandInput,
  from: Identity,
  error: unknown,
): boolean {
  if (!context.options.retryChainedDurationAt3600 || !isChainedDurationError(error, input, from)) {
    return false;
  }
  const requested = input.DurationSeconds ?? 0;
  input.DurationSeconds = CHAINED_LIMIT_SECONDS;
  context.capChainedDuration = true;
  state.attempts += 1;
  context.sink.emit({
    type: "progress",
    data: {
      phase: "notice",
      hop,
      attempt: state.attempts,
      errorCode: errorCodeOf(error),
      message: chainedDurationNotice(hop, requested),
    },
  });
  return true;
}

function isChainedDurationError(error: unknown, input: AssumeRoleCommandInput, from: Identity) {
  return (
    errorCodeOf(error) === "ValidationError" &&
    from.isRoleSession &&
    (input.DurationSeconds ?? 0) > CHAINED_LIMIT_SECONDS
  );
}

/** A first hop (not chained) asking for more than the role's MaxSessionDuration allows. */
function isRoleMaxDurationError(error: unknown, input: AssumeRoleCommandInput, from: Identity) {
  return (
    errorCodeOf(error) === "ValidationError" &&
    !from.isRoleSession &&
    (input.DurationSeconds ?? 0) > CHAINED_LIMIT_SECONDS
  );
}

/**
 * Calls until success. Retries transient errors, and AccessDenied on a role younger than a
 * minute (IAM propagation); `retryNow` may fix the input and ask for an immediate retry.
 */
async function callWithRetries<T>(
  context: HopContext,
  hop: number,
  state: { attempts: number },
  planned: PlannedHop | undefined,
  call: () => Promise<T>,
  retryNow?: (error: unknown) => boolean,
): Promise<T> {
  const { sink } = context;
  for (let tries = 1; ; tries++) {
    try {
      return await call();
    } catch (error) {
      if (retryNow?.(error)) continue;
      const propagation = planned !== undefined && isPropagationDelay(context, planned, error);
      if (tries >= context.maxAttempts || !(isTransientError(error) || propagation)) throw error;
      if (sink.signal.aborted) throw stoppedWhileRetrying(error);
      const delayMs = backoffDelayMs(tries, context.random);
      state.attempts += 1;
      sink.emit({
        type: "progress",
        data: {
          phase: "retry",
          hop,
          attempt: state.attempts,
          errorCode: errorCodeOf(error),
          delayMs,
          ...(propagation ? { message: "The role is new; waiting for IAM to propagate it." } : {}),
        },
      });
      await context.sleep(delayMs, sink.signal);
      if (sink.signal.aborted) throw stoppedWhileRetrying(error);
    }
  }
}

function isPropagationDelay(context: HopContext, planned: PlannedHop, error: unknown): boolean {
  return (
    errorCodeOf(error) === "AccessDenied" &&
    planned.roleCreatedAt !== undefined &&
    context.now() - planned.roleCreatedAt < PROPAGATION_WINDOW_MS
  );
}

function stoppedWhileRetrying(error: unknown): HopFailure {
  return new HopFailure(errorCodeOf(error), errorMessageOf(error), HINTS.stoppedDuringRetry, true, {
    cause: error,
  });
}

function toHopFailure(thrown: unknown, input: AssumeRoleCommandInput, from: Identity): HopFailure {
  if (thrown instanceof HopFailure) return thrown;
  const hint = isChainedDurationError(thrown, input, from)
    ? HINTS.chainedDuration
    : isRoleMaxDurationError(thrown, input, from)
      ? HINTS.roleMaxDuration
      : undefined;
  return new HopFailure(errorCodeOf(thrown), errorMessageOf(thrown), hint, false, {
    cause: thrown,
  });
}

function toIdentity(credentials: Credentials | undefined): AwsCredentialIdentity {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new HopFailure("MissingCredentials", "AssumeRole answered without credentials.");
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}

function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
