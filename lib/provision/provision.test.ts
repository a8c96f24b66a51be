import {
  CreateRoleCommand,
  GetAccountSummaryCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIamClient } from "@/lib/aws";
import { createMemorySink } from "@/lib/chain/memory-sink";
import type { ProgressData } from "@/lib/runs/types";
import { listManagedRoles } from "./list-managed-roles";
import { provisionRoles } from "./provision-roles";
import { type SandboxTarget, startQuietSandboxTarget } from "./sandbox-kit.test-support";
import { teardownRoles } from "./teardown-roles";

const ROLES = { path: "/rolechain/", prefix: "rolechain-", maxSessionDuration: 3600 };

function progressOf(events: ReturnType<typeof createMemorySink>["events"]): ProgressData[] {
  return events.flatMap((event) => (event.type === "progress" ? [event.data] : []));
}

describe("provisionRoles and teardownRoles against the sandbox", () => {
  let env: SandboxTarget;

  beforeAll(async () => {
    env = await startQuietSandboxTarget();
  });
  afterAll(async () => {
    await env?.close();
  });

  const roleCount = async () => {
    const summary = await createIamClient(env.target).send(new GetAccountSummaryCommand({}));
    return summary.SummaryMap?.Roles;
  };

  it("creates 101 tagged roles with their policy, reporting progress up to 101", async () => {
    const sink = createMemorySink();
    const outcome = await provisionRoles(env.target, { ...ROLES, count: 101 }, sink);

    expect(outcome).toEqual({ status: "completed" });
    const progress = progressOf(sink.events);
    expect(progress.map((data) => data.done)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(progress.every((data) => data.phase === "provision" && data.total === 101)).toBe(true);

    const roles = await listManagedRoles(env.target, ROLES);
    expect(roles.map((role) => role.index)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(roles[0]?.roleArn).toBe(
      `arn:aws:iam::${env.target.accountId}:role/rolechain/rolechain-1`,
    );
    const iam = createIamClient(env.target);
    const policies = await iam.send(new ListRolePoliciesCommand({ RoleName: "rolechain-57" }));
    expect(policies.PolicyNames).toEqual(["rolechain-chain"]);
    const tags = await iam.send(new ListRoleTagsCommand({ RoleName: "rolechain-57" }));
    expect(tags.Tags).toContainEqual({ Key: "managed-by", Value: "rolechain" });
  });

  it("re-provisions idempotently: same roles, none duplicated", async () => {
    const before = await roleCount();
    const sink = createMemorySink();
    const outcome = await provisionRoles(env.target, { ...ROLES, count: 101 }, sink);

    expect(outcome).toEqual({ status: "completed" });
    expect(await roleCount()).toBe(before);
    expect(progressOf(sink.events).at(-1)).toMatchObject({ done: 101, total: 101 });
  });

  it("never modifies a same-named role it did not create, and says which", async () => {
    const iam = createIamClient(env.target);
    await iam.send(
      new CreateRoleCommand({
        RoleName: "f-2",
        Path: "/rolechain/",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const sink = createMemorySink();
    const outcome = await provisionRoles(env.target, { ...ROLES, prefix: "f-", count: 3 }, sink);

    expect(outcome.status).toBe("failed");
    expect(outcome.error?.code).toBe("RoleNotManaged");
    expect(outcome.error?.message).toContain("f-2");
    expect(progressOf(sink.events).find((data) => data.item === "f-2")).toMatchObject({
      errorCode: "RoleNotManaged",
    });
    const policies = await iam.send(new ListRolePoliciesCommand({ RoleName: "f-2" }));
    expect(policies.PolicyNames).toEqual([]);
    const tags = await iam.send(new ListRoleTagsCommand({ RoleName: "f-2" }));
    expect(tags.Tags).toEqual([]);
    const managed = await listManagedRoles(env.target, { path: "/rolechain/", prefix: "f-" });
    expect(managed.map((role) => role.roleName)).toEqual(["f-1", "f-3"]);
  });

  it("tears down exactly the managed roles, leaving a foreign one alone", async () => {
    const sink = createMemorySink();
    const outcome = await teardownRoles(env.target, { path: "/rolechain/", prefix: "f-" }, sink);

    expect(outcome).toEqual({ status: "completed" });
    expect(progressOf(sink.events).map((data) => [data.phase, data.done, data.total])).toEqual([
      ["teardown", 1, 2],
      ["teardown", 2, 2],
    ]);
    const left = await createIamClient(env.target).send(
      new ListRolesCommand({ PathPrefix: "/rolechain/" }),
    );
    const names = (left.Roles ?? []).map((role) => role.RoleName);
    expect(names).toContain("f-2");
    expect(names).not.toContain("f-1");
    expect(names).not.toContain("f-3");
  });

  it("stops taking new roles once Stop is asked, finishing those in flight", async () => {
    const options = { ...ROLES, prefix: "s-", count: 60 };
    const sink = createMemorySink(undefined, (event, self) => {
      if (event.type === "progress" && event.data.done === 5) self.stop();
    });
    const outcome = await provisionRoles(env.target, options, sink);

    expect(outcome).toEqual({ status: "stopped" });
    const done = progressOf(sink.events).length;
    // At most the 8 workers' roles in flight finish after the fifth.
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThanOrEqual(5 + 8);
    expect(await listManagedRoles(env.target, { path: ROLES.path, prefix: "s-" })).toHaveLength(
      done,
    );
    await teardownRoles(env.target, { path: ROLES.path, prefix: "s-" }, createMemorySink());
  });

  it("tears down all 101 rolechain roles with progress", async () => {
    const sink = createMemorySink();
    const outcome = await teardownRoles(env.target, ROLES, sink);

    expect(outcome).toEqual({ status: "completed" });
    expect(progressOf(sink.events).at(-1)).toMatchObject({ done: 101, total: 101 });
    expect(await listManagedRoles(env.target, ROLES)).toEqual([]);
  });
});

describe("provisionRoles quota check", () => {
  let env: SandboxTarget;

  beforeAll(async () => {
    env = await startQuietSandboxTarget({ roleQuota: 5 });
  });
  afterAll(async () => {
    await env?.close();
  });

  it("refuses before creating anything, naming the numbers", async () => {
    const sink = createMemorySink();
    const outcome = await provisionRoles(env.target, { ...ROLES, count: 10 }, sink);

    expect(outcome.status).toBe("failed");
    expect(outcome.error?.code).toBe("RoleQuotaExceeded");
    expect(outcome.error?.message).toContain("Creating 10 roles would make 10 roles");
    expect(outcome.error?.message).toContain("quota of 5");
    expect(sink.events).toEqual([]);
    const summary = await createIamClient(env.target).send(new GetAccountSummaryCommand({}));
    expect(summary.SummaryMap?.Roles).toBe(0);
  });

  it("counts only the roles that do not exist yet", async () => {
    expect(await provisionRoles(env.target, { ...ROLES, count: 4 }, createMemorySink())).toEqual({
      status: "completed",
    });
    const outcome = await provisionRoles(env.target, { ...ROLES, count: 5 }, createMemorySink());
    expect(outcome).toEqual({ status: "completed" });
    const refused = await provisionRoles(env.target, { ...ROLES, count: 6 }, createMemorySink());
    expect(refused.error?.message).toContain("Creating 1 roles would make 6 roles");
  });
});
