import "server-only";
import { getTarget, type Target } from "@/lib/aws";
import { resolveProfileChain } from "@/lib/profiles/resolve-profile-chain";
import type { ProfileError } from "@/lib/profiles/types";
import { listManagedRoles } from "@/lib/provision";
import type { FieldError, Validated } from "@/lib/provision/field-error";
import { getRunRegistry, type RunOutcome } from "@/lib/runs/registry";
import type { RunSink, RunSummary } from "@/lib/runs/types";
import { CHAIN_LABELS, type ChainRequest, validateChainRequest } from "./chain-options";
import {
  type ChainBase,
  type ChainPlan,
  linearPlan,
  pingPongPlan,
  profilePlan,
} from "./chain-plan";
import { HINTS } from "./hints";
import { type ChainDeps, runChain } from "./run-chain";

/**
 * Validates the chain form and starts a `chain` run in the background. A profile chain is
 * resolved first: a loop or a broken profile is refused here, before any run or AssumeRole.
 * The pasted files never reach the run's params.
 *
 * @example await startChain({ mode: "pingpong", hops: 2000 })
 */
export async function startChain(input: unknown): Promise<Validated<RunSummary>> {
  const request = validateChainRequest(input);
  if (!request.ok) return request;

  const prepared = prepareChain(request.value);
  if (!prepared.ok) return prepared;

  const target = await getTarget();
  const { params, run: work } = prepared.value;
  const run = getRunRegistry().start({ kind: "chain", target: target.kind, params }, (sink) =>
    work(target, sink),
  );
  return { ok: true, value: run };
}

export interface PreparedChain {
  /** The run's params: the validated input without the pasted files or any secret. */
  params: Record<string, unknown>;
  /** The run's work, for any target and sink. */
  run: (target: Target, sink: RunSink) => Promise<RunOutcome>;
}

/**
 * Everything but starting the run: profile resolution (no AWS call) and the work to do.
 * Tests and the benchmark call it with their own target and sink or registry.
 */
export function prepareChain(
  request: ChainRequest,
  deps: ChainDeps = {},
): Validated<PreparedChain> {
  const { options } = request;
  const shared = {
    verify: options.verify,
    sessionNameTemplate: options.sessionNameTemplate,
    durationSeconds: options.durationSeconds ?? null,
    intervalMs: options.intervalMs,
    sessionTags: options.sessionTags.map((tag) => `${tag.Key}=${tag.Value}`).join(";"),
    transitiveTagKeys: options.transitiveTagKeys.join(","),
    sourceIdentity: options.sourceIdentity ?? "",
    retryChainedDurationAt3600: options.retryChainedDurationAt3600,
  };

  if (request.mode === "profiles") {
    const resolved = resolveProfileChain(
      { config: request.config, credentials: request.credentials },
      request.profile,
      { environmentHasCredentials: Boolean(process.env.AWS_ACCESS_KEY_ID) },
    );
    if (!resolved.ok) return { ok: false, error: profileFieldError(resolved.error) };
    const plan = profilePlan(resolved.plan);
    return {
      ok: true,
      value: {
        params: { mode: "profiles", profile: request.profile, hops: plan.total, ...shared },
        run: (target, sink) => runChain(target, plan, options, sink, deps),
      },
    };
  }

  const { mode, hops, path, prefix } = request;
  return {
    ok: true,
    value: {
      params: { mode, hops, path, prefix, ...shared },
      run: async (target, sink) => {
        const plan = await planManagedChain(target, request);
        if (!plan.ok) return { status: "failed", error: plan.error };
        return runChain(target, plan.plan, options, sink, deps);
      },
    },
  };
}

type ManagedPlan =
  | { ok: true; plan: ChainPlan }
  | { ok: false; error: { code: string; message: string; hint: string } };

/** Linear needs roles 1..N+1, ping-pong roles 1 and 2, all managed, under the path. */
async function planManagedChain(
  target: Target,
  request: Extract<ChainRequest, { mode: "linear" | "pingpong" }>,
): Promise<ManagedPlan> {
  const roles = await listManagedRoles(target, request);
  const needed = request.mode === "linear" ? request.hops + 1 : 2;
  const present = roles.filter((role) => role.index <= needed);
  if (present.length < needed) {
    const what = request.mode === "linear" ? `A linear chain of ${request.hops} hops` : "Ping-pong";
    return {
      ok: false,
      error: {
        code: "NotEnoughRoles",
        message:
          `${what} needs ${needed} managed roles (${request.prefix}1 … ` +
          `${request.prefix}${needed} under ${request.path}); ${present.length} of them exist ` +
          `(${roles.length} managed roles in all).`,
        hint: HINTS.notEnoughRoles,
      },
    };
  }
  const base: ChainBase = { credentials: target.baseCredentials, arn: target.callerArn };
  if (request.mode === "linear") return { ok: true, plan: linearPlan(base, present, request.hops) };
  const [roleA, roleB] = present as [(typeof present)[0], (typeof present)[0]];
  return { ok: true, plan: pingPongPlan(base, roleA, roleB, request.hops) };
}

/** A file problem points at the file's text area; anything else at the Profile field. */
function profileFieldError(error: ProfileError): FieldError {
  const field =
    error.file === "config"
      ? CHAIN_LABELS.config
      : error.file === "credentials"
        ? CHAIN_LABELS.credentials
        : CHAIN_LABELS.profile;
  const hint = error.hint ? ` ${error.hint}` : "";
  return { field, message: `${error.message}${hint}` };
}
