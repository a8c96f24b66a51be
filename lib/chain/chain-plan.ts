import "server-only";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { ProfileChainPlan } from "@/lib/profiles/types";
import type { ManagedRole } from "@/lib/provision";
import type { ChainMode } from "@/lib/runs/types";

/** One AssumeRole the engine will make. */
export interface PlannedHop {
  roleArn: string;
  /** Profile whose role this is (profiles mode), else "". */
  profile: string;
  /** Region to sign for; the target's when undefined. */
  region?: string;
  /** Overrides the run's session name template (a profile's `role_session_name`). */
  roleSessionName?: string;
  durationSeconds?: number;
  externalId?: string;
  /** Epoch ms when IAM created the role, when known: AccessDenied soon after is propagation. */
  roleCreatedAt?: number;
}

/** Who makes hop 0. Secrets stay inside the engine. */
export interface ChainBase {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Caller ARN when already known; the engine asks GetCallerIdentity otherwise. */
  arn?: string;
  region?: string;
}

/**
 * A chain to run: its base and its hops, made lazily one at a time, so a million-hop ping-pong
 * is two roles and a counter, not a million objects.
 */
export interface ChainPlan {
  mode: ChainMode;
  /** Number of hops (AssumeRole calls): hop numbers 0..total-1. */
  total: number;
  base: ChainBase;
  hops(): Iterable<PlannedHop>;
}

function fromRole(role: ManagedRole): PlannedHop {
  return {
    roleArn: role.roleArn,
    profile: "",
    ...(role.createDate ? { roleCreatedAt: role.createDate.getTime() } : {}),
  };
}

/** base -> role 1 -> … -> role N+1: `hops` transitions after hop 0, each to a new role. */
export function linearPlan(
  base: ChainBase,
  roles: readonly ManagedRole[],
  hops: number,
): ChainPlan {
  const steps = roles.slice(0, hops + 1).map(fromRole);
  return { mode: "linear", total: steps.length, base, hops: () => steps };
}

/** base -> A -> B -> A …, hops 0..`hops`. */
export function pingPongPlan(
  base: ChainBase,
  roleA: ManagedRole,
  roleB: ManagedRole,
  hops: number,
): ChainPlan {
  const a = fromRole(roleA);
  const b = fromRole(roleB);
  return {
    mode: "pingpong",
    total: hops + 1,
    base,
    *hops() {
      for (let hop = 0; hop <= hops; hop++) yield hop % 2 === 0 ? a : b;
    },
  };
}

/**
 * A resolved profile chain. The base is the profile's static keys, or the server's environment
 * credentials for `credential_source = Environment` (read from `env`, never stored).
 */
export function profilePlan(
  plan: ProfileChainPlan,
  env: Record<string, string | undefined> = process.env,
): ChainPlan {
  const hops: PlannedHop[] = plan.hops.map((hop) => ({
    roleArn: hop.roleArn,
    profile: hop.profile,
    ...(hop.region ? { region: hop.region } : {}),
    ...(hop.roleSessionName ? { roleSessionName: hop.roleSessionName } : {}),
    ...(hop.durationSeconds ? { durationSeconds: hop.durationSeconds } : {}),
    ...(hop.externalId ? { externalId: hop.externalId } : {}),
  }));
  return { mode: "profiles", total: hops.length, base: profileBase(plan, env), hops: () => hops };
}

function profileBase(plan: ProfileChainPlan, env: Record<string, string | undefined>): ChainBase {
  const { base } = plan;
  const region = base.region ? { region: base.region } : {};
  if (base.kind === "static") {
    return {
      credentials: {
        accessKeyId: base.accessKeyId,
        secretAccessKey: base.secretAccessKey,
        ...(base.sessionToken ? { sessionToken: base.sessionToken } : {}),
      },
      ...region,
    };
  }
  return {
    credentials: async () => {
      const accessKeyId = env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId || !secretAccessKey) {
        throw Object.assign(
          new Error(
            `Profile ${base.profile} uses credential_source = Environment, but the server ` +
              "has no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
          ),
          { code: "EnvironmentCredentialsMissing" },
        );
      }
      const sessionToken = env.AWS_SESSION_TOKEN;
      return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    },
    ...region,
  };
}
