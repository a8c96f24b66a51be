import "server-only";
import { IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { TargetKind } from "@/lib/runs/types";
import { createStsClient } from "./clients";
import { type LogEvent, logEvent } from "./log-event";
import { type RetryOptions, withRetries } from "./retry";
import { resolveTargetConfig, type TargetConfig } from "./target-config";

/** What every AWS call of rolechain goes to, and as whom it starts. Holds no secret values. */
export interface Target {
  kind: TargetKind;
  region: string;
  /** Set for `sandbox` and `endpoint`; empty for `aws` (the SDK's own endpoints). */
  endpoints: { sts?: string; iam?: string };
  baseCredentials: AwsCredentialIdentityProvider;
  accountId: string;
  callerArn: string;
}

/** What the page may show about the target. */
export interface TargetDescription {
  kind: TargetKind;
  accountId: string;
  callerArn: string;
  endpoint?: string;
  region: string;
}

export interface ConnectTargetInput {
  kind: TargetKind;
  region: string;
  endpoints: { sts?: string; iam?: string };
  baseCredentials: AwsCredentialIdentityProvider;
  /** Where the base credentials came from, for the log line (`sandbox base user`, …). */
  credentialsSource: string;
}

/**
 * Builds a Target by asking STS who the base credentials are (GetCallerIdentity), retrying
 * throttling and transient faults. Tests use it directly on a sandbox they started; the app
 * goes through `getTarget`.
 */
export async function connectTarget(
  input: ConnectTargetInput,
  log: LogEvent = logEvent,
  retry: RetryOptions = {},
): Promise<Target> {
  const sts = createStsClient(input, input.baseCredentials);
  try {
    // Throttled or failing for a moment at start-up must not leave the server without a target.
    const identity = await withRetries(() => sts.send(new GetCallerIdentityCommand({})), retry);
    const target: Target = {
      kind: input.kind,
      region: input.region,
      endpoints: input.endpoints,
      baseCredentials: input.baseCredentials,
      accountId: identity.Account ?? "",
      callerArn: identity.Arn ?? "",
    };
    log("target.connected", {
      kind: target.kind,
      region: target.region,
      stsEndpoint: target.endpoints.sts ?? "sdk default",
      iamEndpoint: target.endpoints.iam ?? "sdk default",
      credentials: input.credentialsSource,
      accountId: target.accountId,
      callerArn: target.callerArn,
    });
    return target;
  } finally {
    sts.destroy();
  }
}

const TARGET_KEY = Symbol.for("rolechain.target");
type TargetHolder = typeof globalThis & { [TARGET_KEY]?: Promise<Target> };

/**
 * The process's one target, from `ROLECHAIN_TARGET`. Memoized on `globalThis` because Next can
 * load this module more than once (route handlers and server actions in separate bundles);
 * two sandboxes on one data dir would fight over it. A failed start is not memoized.
 */
export function getTarget(): Promise<Target> {
  const holder = globalThis as TargetHolder;
  const existing = holder[TARGET_KEY];
  if (existing) return existing;
  const started = startTarget(resolveTargetConfig()).catch((error: unknown) => {
    holder[TARGET_KEY] = undefined;
    throw error;
  });
  holder[TARGET_KEY] = started;
  return started;
}

/** The target without anything secret, for the page header. */
export async function describeTarget(): Promise<TargetDescription> {
  const target = await getTarget();
  return {
    kind: target.kind,
    accountId: target.accountId,
    callerArn: target.callerArn,
    ...(target.endpoints.sts ? { endpoint: target.endpoints.sts } : {}),
    region: target.region,
  };
}

async function startTarget(config: TargetConfig): Promise<Target> {
  if (config.kind === "sandbox") {
    const { startSandboxTarget } = await import("./sandbox-target");
    const { target } = await startSandboxTarget({
      dataDir: config.dataDir,
      port: config.port,
      region: config.region,
    });
    return target;
  }
  const endpoints = config.kind === "endpoint" ? config.endpoints : {};
  return connectTarget({
    kind: config.kind,
    region: config.region,
    endpoints,
    baseCredentials: defaultChainCredentials(config.region),
    credentialsSource: describeDefaultChain(config),
  });
}

/**
 * The SDK's default credential chain, taken from a client that was given none, so we depend
 * only on the client packages. It honours AWS_PROFILE and the environment variables; on EC2 it
 * may ask the instance metadata service unless AWS_EC2_METADATA_DISABLED=true (tests set it).
 */
function defaultChainCredentials(region: string): AwsCredentialIdentityProvider {
  const client = new IAMClient({ region });
  return client.config.credentials;
}

function describeDefaultChain(config: TargetConfig): string {
  const source = process.env.AWS_ACCESS_KEY_ID
    ? "environment variables"
    : config.kind !== "sandbox" && config.profile
      ? `profile ${config.profile}`
      : "sdk default chain";
  const endpoints =
    config.kind === "endpoint"
      ? ` (endpoints from ${config.endpointSources.sts}, ${config.endpointSources.iam})`
      : "";
  return `${source}${endpoints}`;
}
