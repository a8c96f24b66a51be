import "server-only";
import {
  CreateRoleCommand,
  GetAccountSummaryCommand,
  type IAMClient,
  PutRolePolicyCommand,
  type Role,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { createIamClient, errorCodeOf, errorMessageOf, type Target } from "@/lib/aws";
import { type Sleep, withRetries } from "@/lib/aws/retry";
import type { RunOutcome } from "@/lib/runs/registry";
import type { RunSink } from "@/lib/runs/types";
import { isManagedRole, listAllRoles } from "./list-managed-roles";
import { mapWithConcurrency } from "./map-with-concurrency";
import { type ProvisionOptions, roleName } from "./provision-options";
import { type RoleFailure, summarizeFailures } from "./role-failures";
import {
  CHAIN_POLICY_NAME,
  chainPolicyDocument,
  INDEX_TAG_KEY,
  MANAGED_TAG,
  trustPolicyDocument,
} from "./role-policies";

export const PROVISION_CONCURRENCY = 8;
const QUOTA_HINT =
  "Ask for fewer roles, tear down roles you no longer need, or raise the IAM roles quota.";

export interface ProvisionDeps {
  iam?: IAMClient;
  sleep?: Sleep;
  random?: () => number;
}

type Plan = { name: string; index: number; action: "create" | "update" | "conflict"; why?: string };

/**
 * Creates (or brings up to date) roles `<prefix>1..<prefix><count>` under `path`.
 * Checks the role quota before creating anything; never modifies a role without our tag.
 */
export async function provisionRoles(
  target: Target,
  options: ProvisionOptions,
  sink: RunSink,
  deps: ProvisionDeps = {},
): Promise<RunOutcome> {
  const iam = deps.iam ?? createIamClient(target);
  const retry = { sleep: deps.sleep, random: deps.random, signal: sink.signal };
  const plans = await planRoles(iam, options);

  const toCreate = plans.filter((plan) => plan.action === "create").length;
  const summary = await withRetries(() => iam.send(new GetAccountSummaryCommand({})), retry);
  const existing = summary.SummaryMap?.Roles ?? 0;
  const quota = summary.SummaryMap?.RolesQuota ?? Number.POSITIVE_INFINITY;
  if (existing + toCreate > quota) {
    return {
      status: "failed",
      error: {
        code: "RoleQuotaExceeded",
        message:
          `Creating ${toCreate} roles would make ${existing + toCreate} roles, over the ` +
          `account's quota of ${quota} (${existing} exist). Nothing was created.`,
        hint: QUOTA_HINT,
      },
    };
  }

  const trust = trustPolicyDocument(target.accountId);
  const policy = chainPolicyDocument(target.accountId, options.path);
  const failures: RoleFailure[] = [];
  let done = 0;

  await mapWithConcurrency(
    plans,
    PROVISION_CONCURRENCY,
    async (plan) => {
      let failure: RoleFailure | undefined;
      try {
        if (plan.action === "conflict") {
          failure = { roleName: plan.name, code: "RoleNotManaged", message: plan.why ?? "" };
        } else if (plan.action === "create") {
          await createRole(iam, plan, options, trust, retry);
        } else {
          await updateRole(iam, plan, trust, retry);
        }
        if (!failure) {
          await withRetries(
            () =>
              iam.send(
                new PutRolePolicyCommand({
                  RoleName: plan.name,
                  PolicyName: CHAIN_POLICY_NAME,
                  PolicyDocument: policy,
                }),
              ),
            retry,
          );
        }
      } catch (error) {
        failure = { roleName: plan.name, code: errorCodeOf(error), message: errorMessageOf(error) };
      }
      if (failure) failures.push(failure);
      done += 1;
      sink.emit({
        type: "progress",
        data: {
          phase: "provision",
          done,
          total: plans.length,
          item: plan.name,
          ...(failure ? { errorCode: failure.code, message: failure.message } : {}),
        },
      });
    },
    () => sink.stopRequested,
  );

  if (failures.length > 0)
    return { status: "failed", error: summarizeFailures(failures, "provision") };
  if (done < plans.length) return { status: "stopped" };
  return { status: "completed" };
}

async function planRoles(iam: IAMClient, options: ProvisionOptions): Promise<Plan[]> {
  // Role names are unique per account ignoring case, whatever the path: look at all of them.
  const byName = new Map<string, Role>();
  for (const role of await listAllRoles(iam, "/")) {
    if (role.RoleName) byName.set(role.RoleName.toLowerCase(), role);
  }
  const plans: Plan[] = [];
  for (let index = 1; index <= options.count; index++) {
    const name = roleName(options, index);
    const role = byName.get(name.toLowerCase());
    if (!role) {
      plans.push({ name, index, action: "create" });
    } else if (!(await isManagedRole(iam, role))) {
      const why =
        `${role.Arn} exists and is not managed by rolechain ` +
        "(no managed-by=rolechain tag); left untouched.";
      plans.push({ name, index, action: "conflict", why });
    } else if (role.Path !== options.path || role.RoleName !== name) {
      const why =
        `${role.Arn} is managed by rolechain but not as ${options.path}${name}; ` +
        "left untouched.";
      plans.push({ name, index, action: "conflict", why });
    } else {
      plans.push({ name, index, action: "update" });
    }
  }
  return plans;
}

async function createRole(
  iam: IAMClient,
  plan: Plan,
  options: ProvisionOptions,
  trust: string,
  retry: Parameters<typeof withRetries>[1],
) {
  await withRetries(
    () =>
      iam.send(
        new CreateRoleCommand({
          RoleName: plan.name,
          Path: options.path,
          AssumeRolePolicyDocument: trust,
          Description: `rolechain role ${plan.index}: a hop for role-chaining runs`,
          MaxSessionDuration: options.maxSessionDuration,
          Tags: [MANAGED_TAG, { Key: INDEX_TAG_KEY, Value: String(plan.index) }],
        }),
      ),
    retry,
  );
}

/**
 * Re-provisioning a role of ours: its trust (and, by the caller, its inline policy) are set as
 * for a fresh role. TODO(provision): MaxSessionDuration of an existing role is left as it is:
 * UpdateRole is not in the sandbox's IAM surface.
 */
async function updateRole(
  iam: IAMClient,
  plan: Plan,
  trust: string,
  retry: Parameters<typeof withRetries>[1],
) {
  await withRetries(
    () =>
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: plan.name, PolicyDocument: trust })),
    retry,
  );
}
