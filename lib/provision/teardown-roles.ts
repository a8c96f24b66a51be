import "server-only";
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  type IAMClient,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { createIamClient, errorCodeOf, errorMessageOf, type Target } from "@/lib/aws";
import { type RetryOptions, withRetries } from "@/lib/aws/retry";
import type { RunOutcome } from "@/lib/runs/registry";
import type { RunSink } from "@/lib/runs/types";
import { listManagedRoles } from "./list-managed-roles";
import { mapWithConcurrency } from "./map-with-concurrency";
import type { RoleSetOptions } from "./provision-options";
import type { ProvisionDeps } from "./provision-roles";
import { type RoleFailure, summarizeFailures } from "./role-failures";

const TEARDOWN_CONCURRENCY = 8;

/**
 * Deletes exactly the managed roles under `path` named `<prefix><index>`: inline policies
 * first (IAM refuses to delete a role that still has them), then the role. Foreign roles,
 * even same-named ones elsewhere, are never listed and so never touched.
 */
export async function teardownRoles(
  target: Target,
  options: RoleSetOptions,
  sink: RunSink,
  deps: ProvisionDeps = {},
): Promise<RunOutcome> {
  const iam = deps.iam ?? createIamClient(target);
  const retry: RetryOptions = { sleep: deps.sleep, random: deps.random, signal: sink.signal };
  const roles = await listManagedRoles(target, options, iam);
  const failures: RoleFailure[] = [];
  let done = 0;

  await mapWithConcurrency(
    roles,
    TEARDOWN_CONCURRENCY,
    async (role) => {
      let failure: RoleFailure | undefined;
      try {
        await deleteRole(iam, role.roleName, retry);
      } catch (error) {
        failure = {
          roleName: role.roleName,
          code: errorCodeOf(error),
          message: errorMessageOf(error),
        };
        failures.push(failure);
      }
      done += 1;
      sink.emit({
        type: "progress",
        data: {
          phase: "teardown",
          done,
          total: roles.length,
          item: role.roleName,
          ...(failure ? { errorCode: failure.code, message: failure.message } : {}),
        },
      });
    },
    () => sink.stopRequested,
  );

  if (failures.length > 0)
    return { status: "failed", error: summarizeFailures(failures, "teardown") };
  if (done < roles.length) return { status: "stopped" };
  return { status: "completed" };
}

async function deleteRole(iam: IAMClient, roleName: string, retry: RetryOptions) {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await withRetries(
      () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker })),
      retry,
    );
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  for (const policyName of names) {
    await withRetries(
      () => iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
      retry,
    );
  }
  try {
    await withRetries(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })), retry);
  } catch (error) {
    // Gone already (a second teardown racing this one): the goal is met.
    if (errorCodeOf(error) !== "NoSuchEntity") throw error;
  }
}
