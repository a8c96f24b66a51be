/**
 * The STS rules, driven directly against an in-memory state (the HTTP path is covered by
 * sts-http.test.ts through the real SDK).
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Caller, RoleRecord, SandboxKnobs, StsStateReader } from "./contracts";
import { SandboxError } from "./errors";
import { openSessionToken } from "./session-token";
import { type AssumeRoleResult, assumeRole, getCallerIdentity, StsMessages } from "./sts";

const ACCT = "123456789012";
const NOW = Date.UTC(2026, 11, 4, 16, 0, 0, 250);
const masterKey = randomBytes(32);
const knobs: SandboxKnobs = {
  latencyMs: 0,
  throttleRate: 0,
  propagationDelayMs: 0,
  clockOffsetMs: 0,
  faultRate: 0,
};
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const ADMIN = doc({ Effect: "Allow", Action: "*", Resource: "*" });
const ROOT_TRUST = doc({
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
  Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
});
const roleArn = (name: string) => `arn:aws:iam::${ACCT}:role/rolechain/${name}`;

interface RoleSpec {
  trust?: string;
  policies?: string[];
  max?: number;
  createdAt?: number;
}

/** A StsStateReader over plain maps, as the persistence layer would answer. */
function memoryState(roles: Record<string, RoleSpec>): StsStateReader {
  const records = new Map<string, RoleRecord & { policies: string[] }>();
  for (const [name, spec] of Object.entries(roles)) {
    records.set(name.toLowerCase(), {
      accountId: ACCT,
      roleName: name,
      roleId: `AROA${name.toUpperCase().padEnd(17, "X").slice(0, 17)}`,
      path: "/rolechain/",
      arn: roleArn(name),
      assumeRolePolicyDocument: spec.trust ?? ROOT_TRUST,
      maxSessionDuration: spec.max ?? 3600,
      createDate: spec.createdAt ?? 0,
      tags: [],
      policies: spec.policies ?? [ADMIN],
    });
  }
  return {
    accountId: ACCT,
    getRoleByName: (name) => records.get(name.toLowerCase()),
    getUserPolicies: () => [ADMIN],
    getRolePolicies: (name) => records.get(name.toLowerCase())?.policies ?? [],
    getUserTags: () => ({}),
  };
}

const user: Caller = {
  kind: "user",
  accountId: ACCT,
  arn: `arn:aws:iam::${ACCT}:user/admin`,
  userName: "admin",
  userId: "AIDAEXAMPLEEXAMPLEEX",
  accessKeyId: "AKIAEXAMPLEEXAMPLEEX",
};

/** What the auth layer does with a session's credentials: open the token, build the caller. */
function callerFrom(result: AssumeRoleResult): Caller {
  const { AccessKeyId, SessionToken } = result.Credentials;
  const session = openSessionToken(masterKey, AccessKeyId, SessionToken);
  return {
    kind: "assumed-role",
    accountId: session.accountId,
    arn: result.AssumedRoleUser.Arn,
    session,
    accessKeyId: AccessKeyId,
  };
}

function run(state: StsStateReader, caller: Caller, params: Record<string, string>, at = NOW) {
  return assumeRole(
    { state, caller, now: at, masterKey, knobs, requestId: "req-1" },
    { RoleSessionName: "hop", ...params },
  );
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SandboxError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the call to fail");
}

const state = memoryState({ a: {}, b: {}, long: { max: 43200 } });

describe("assumeRole identifiers", () => {
  it("returns AWS-shaped credentials, ids and ARN (path dropped)", async () => {
    const result = await run(state, user, { RoleArn: roleArn("a"), RoleSessionName: "s-1" });
    const role = state.getRoleByName("a") as RoleRecord;
    expect(result.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(result.Credentials.SecretAccessKey).toHaveLength(40);
    expect(result.Credentials.Expiration).toBe("2026-12-04T17:00:00Z");
    expect(role.roleId).toHaveLength(21);
    expect(result.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.roleId}:s-1`,
      Arn: `arn:aws:sts::${ACCT}:assumed-role/a/s-1`,
    });
    expect(result.PackedPolicySize).toBeUndefined();
    expect(result.SourceIdentity).toBeUndefined();
  });

  it("seals who the session is into its token", async () => {
    const session = callerFrom(await run(state, user, { RoleArn: roleArn("a") }));
    expect(session.kind === "assumed-role" && session.session).toMatchObject({
      roleArn: roleArn("a"),
      chained: false,
      expiresAt: Date.UTC(2026, 11, 4, 17, 0, 0),
    });
  });
});

describe("assumeRole validation", () => {
  const v = (field: string, value: string, rule: string) =>
    `1 validation error detected: Value ${value} at '${field}' failed to satisfy constraint: ` +
    rule;
  it.each([
    [
      "a one-character session name",
      { RoleSessionName: "a" },
      v("roleSessionName", "'a'", "Member must have length greater than or equal to 2"),
    ],
    [
      "a 65-character session name",
      { RoleSessionName: "s".repeat(65) },
      v(
        "roleSessionName",
        `'${"s".repeat(65)}'`,
        "Member must have length less than or equal to 64",
      ),
    ],
    [
      "a session name with a colon",
      { RoleSessionName: "Session1:2" },
      v(
        "roleSessionName",
        "'Session1:2'",
        "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ),
    ],
    [
      "a DurationSeconds of 899",
      { DurationSeconds: "899" },
      v("durationSeconds", "'899'", "Member must have value greater than or equal to 900"),
    ],
    [
      "a DurationSeconds of 43201",
      { DurationSeconds: "43201" },
      v("durationSeconds", "'43201'", "Member must have value less than or equal to 43200"),
    ],
    [
      "a one-character SourceIdentity",
      { SourceIdentity: "x" },
      v("sourceIdentity", "'x'", "Member must have length greater than or equal to 2"),
    ],
    [
      "51 session tags",
      Object.fromEntries(
        Array.from({ length: 51 }, (_, i) => [
          [`Tags.member.${i + 1}.Key`, `k${i}`],
          [`Tags.member.${i + 1}.Value`, "v"],
        ]).flat(),
      ),
      v("tags", "'[51 tags]'", "Member must have length less than or equal to 50"),
    ],
    [
      "a RoleArn that is not an ARN",
      { RoleArn: "nothing-valid-in-here" },
      "nothing-valid-in-here is invalid",
    ],
    [
      "a RoleArn without a partition",
      { RoleArn: "arn::b:::something/test-role" },
      "arn::b:::something/test-role is invalid",
    ],
  ])("refuses %s with ValidationError and AWS's text", async (_name, params, message) => {
    const error = await failure(run(state, user, { RoleArn: roleArn("a"), ...params }));
    expect(error).toEqual({ code: "ValidationError", message });
  });

  it("reports every failed constraint at once, counted", async () => {
    const error = await failure(run(state, user, { RoleSessionName: "a" }));
    expect(error.message).toMatch(/^2 validation errors detected: Value null at 'roleArn'/);
    expect(error.message).toContain("; Value 'a' at 'roleSessionName'");
  });
});

describe("assumeRole durations", () => {
  it("allows more than an hour from a user, up to the role's MaxSessionDuration", async () => {
    const result = await run(state, user, { RoleArn: roleArn("long"), DurationSeconds: "7200" });
    expect(result.Credentials.Expiration).toBe("2026-12-04T18:00:00Z");
  });

  it("refuses more than the role's MaxSessionDuration", async () => {
    const error = await failure(
      run(state, user, { RoleArn: roleArn("a"), DurationSeconds: "7200" }),
    );
    expect(error).toEqual({ code: "ValidationError", message: StsMessages.maxSessionDuration });
  });

  it.each([
    ["3601", false],
    ["3600", true],
    ["900", true],
  ])("caps a chained hop at one hour: DurationSeconds %s", async (seconds, ok) => {
    const first = callerFrom(await run(state, user, { RoleArn: roleArn("a") }));
    const call = run(state, first, { RoleArn: roleArn("long"), DurationSeconds: seconds });
    if (ok) await expect(call).resolves.toBeDefined();
    else
      expect(await failure(call)).toEqual({
        code: "ValidationError",
        message: StsMessages.chainedDuration,
      });
  });
});

describe("assumeRole authorization", () => {
  const denied = (caller: Caller, action: string, arn: string) => ({
    code: "AccessDenied",
    message: `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${arn}`,
  });

  it("answers a missing role with the same AccessDenied as a denial", async () => {
    const arn = roleArn("nope");
    expect(await failure(run(state, user, { RoleArn: arn }))).toEqual(
      denied(user, "sts:AssumeRole", arn),
    );
  });

  it.each([
    ["another account", `arn:aws:iam::999999999999:role/rolechain/a`],
    ["another path", `arn:aws:iam::${ACCT}:role/other/a`],
    ["another service", `arn:aws:sts::${ACCT}:role/rolechain/a`],
  ])("treats a role ARN in %s as missing", async (_name, arn) => {
    expect((await failure(run(state, user, { RoleArn: arn }))).code).toBe("AccessDenied");
  });

  it("denies when the trust policy does not let the caller in", async () => {
    const closed = memoryState({
      c: { trust: doc({ Effect: "Deny", Principal: "*", Action: "*" }) },
    });
    expect(await failure(run(closed, user, { RoleArn: roleArn("c") }))).toEqual(
      denied(user, "sts:AssumeRole", roleArn("c")),
    );
  });

  it("keeps a new role unassumable during the propagation delay", async () => {
    const fresh = memoryState({ n: { createdAt: NOW - 1000 } });
    const slow = { ...knobs, propagationDelayMs: 5000 };
    const ctx = { state: fresh, caller: user, masterKey, knobs: slow, requestId: "r" };
    const params = { RoleArn: roleArn("n"), RoleSessionName: "hop" };
    expect((await failure(assumeRole({ ...ctx, now: NOW }, params))).code).toBe("AccessDenied");
    await expect(assumeRole({ ...ctx, now: NOW + 4000 }, params)).resolves.toBeDefined();
  });

  it.each([
    ["trusts only its account root", ROOT_TRUST, false],
    [
      "names itself in its trust policy",
      doc({ Effect: "Allow", Principal: { AWS: roleArn("self") }, Action: "sts:AssumeRole" }),
      true,
    ],
  ])("lets a role assume itself only when it %s", async (_name, trust, ok) => {
    const selfState = memoryState({ self: { trust } });
    const other = memoryState({ self: { trust: ROOT_TRUST } });
    const session = callerFrom(await run(other, user, { RoleArn: roleArn("self") }));
    const call = run(selfState, session, { RoleArn: roleArn("self") });
    if (ok) await expect(call).resolves.toBeDefined();
    else expect((await failure(call)).code).toBe("AccessDenied");
  });

  it("checks the ExternalId condition of the trust policy", async () => {
    const trust = doc({
      Effect: "Allow",
      Principal: { AWS: ACCT },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": "ext-42" } },
    });
    const guarded = memoryState({ g: { trust } });
    expect((await failure(run(guarded, user, { RoleArn: roleArn("g") }))).code).toBe(
      "AccessDenied",
    );
    await expect(
      run(guarded, user, { RoleArn: roleArn("g"), ExternalId: "ext-42" }),
    ).resolves.toBeDefined();
  });
});

const tagParams = (tags: Record<string, string>, transitive: string[] = []) => {
  const params: Record<string, string> = {};
  Object.entries(tags).forEach(([key, value], i) => {
    params[`Tags.member.${i + 1}.Key`] = key;
    params[`Tags.member.${i + 1}.Value`] = value;
  });
  transitive.forEach((key, i) => {
    params[`TransitiveTagKeys.member.${i + 1}`] = key;
  });
  return params;
};

describe("assumeRole session tags", () => {
  it("needs sts:TagSession in the trust policy", async () => {
    const plain = doc({ Effect: "Allow", Principal: { AWS: ACCT }, Action: "sts:AssumeRole" });
    const noTags = memoryState({ t: { trust: plain } });
    const error = await failure(
      run(noTags, user, { RoleArn: roleArn("t"), ...tagParams({ P: "1" }) }),
    );
    expect(error.message).toContain("is not authorized to perform: sts:TagSession on resource:");
  });

  it("passes transitive tags down the chain, and only those", async () => {
    const tags = tagParams({ Project: "blue", Temp: "x" }, ["project"]);
    const first = await run(state, user, { RoleArn: roleArn("a"), ...tags });
    expect(first.PackedPolicySize).toBeGreaterThan(0);
    const second = callerFrom(await run(state, callerFrom(first), { RoleArn: roleArn("b") }));
    const third = callerFrom(await run(state, second, { RoleArn: roleArn("a") }));
    expect(third.kind === "assumed-role" && third.session).toMatchObject({
      tags: { Project: "blue" },
      transitiveTagKeys: ["Project"],
      chained: true,
    });
  });

  it.each([
    ["a tag key twice, ignoring case", tagParams({ A: "1", a: "2" }), StsMessages.duplicateTagKeys],
    [
      "a transitive key that is not a tag",
      tagParams({ A: "1" }, ["B"]),
      StsMessages.transitiveKeyNotInTags,
    ],
  ])("refuses %s with InvalidParameterValue", async (_name, params, message) => {
    const error = await failure(run(state, user, { RoleArn: roleArn("a"), ...params }));
    expect(error).toEqual({ code: "InvalidParameterValue", message });
  });

  it("refuses to override an inherited transitive tag, ignoring case", async () => {
    const first = callerFrom(
      await run(state, user, {
        RoleArn: roleArn("a"),
        ...tagParams({ Project: "blue" }, ["Project"]),
      }),
    );
    const error = await failure(
      run(state, first, { RoleArn: roleArn("b"), ...tagParams({ PROJECT: "red" }) }),
    );
    expect(error).toEqual({
      code: "InvalidParameterValue",
      message: StsMessages.transitiveConflict,
    });
  });

  it("refuses tags whose packed size passes 100%", async () => {
    const big = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`.padEnd(128, "k"), "v".repeat(256)]),
    );
    const error = await failure(run(state, user, { RoleArn: roleArn("a"), ...tagParams(big) }));
    expect(error.code).toBe("PackedPolicyTooLarge");
    expect(error.message).toMatch(
      /^Packed size of session tags consumes \d+% of allotted space\.$/,
    );
  });
});

describe("assumeRole source identity", () => {
  it("needs sts:SetSourceIdentity", async () => {
    const plain = doc({ Effect: "Allow", Principal: { AWS: ACCT }, Action: "sts:AssumeRole" });
    const strict = memoryState({ s: { trust: plain } });
    const error = await failure(
      run(strict, user, { RoleArn: roleArn("s"), SourceIdentity: "alice" }),
    );
    expect(error.message).toContain("sts:SetSourceIdentity");
  });

  it("persists down the chain and cannot change", async () => {
    const first = await run(state, user, { RoleArn: roleArn("a"), SourceIdentity: "alice" });
    expect(first.SourceIdentity).toBe("alice");
    const session = callerFrom(first);
    const second = await run(state, session, { RoleArn: roleArn("b") });
    expect(second.SourceIdentity).toBe("alice");
    await expect(
      run(state, session, { RoleArn: roleArn("b"), SourceIdentity: "alice" }),
    ).resolves.toBeDefined();
    const error = await failure(
      run(state, session, { RoleArn: roleArn("b"), SourceIdentity: "bob" }),
    );
    expect(error.code).toBe("AccessDenied");
  });
});

describe("assumeRole session policy", () => {
  it("refuses a policy that is not JSON", async () => {
    const error = await failure(run(state, user, { RoleArn: roleArn("a"), Policy: "{nope" }));
    expect(error).toEqual({ code: "MalformedPolicyDocument", message: StsMessages.policyNotJson });
  });

  it("limits what the session may do next", async () => {
    const onlyA = doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn("a") });
    const first = await run(state, user, { RoleArn: roleArn("a"), Policy: onlyA });
    expect(first.PackedPolicySize).toBeGreaterThan(0);
    const session = callerFrom(first);
    expect((await failure(run(state, session, { RoleArn: roleArn("b") }))).code).toBe(
      "AccessDenied",
    );
  });
});

describe("getCallerIdentity", () => {
  const ctx = (caller: Caller) => ({ state, caller, now: NOW, masterKey, knobs, requestId: "r" });

  it("describes a user by its AIDA id", () => {
    expect(getCallerIdentity(ctx(user))).toEqual({
      UserId: user.kind === "user" ? user.userId : "",
      Account: ACCT,
      Arn: user.arn,
    });
  });

  it("describes a session by role id and session name", async () => {
    const result = await run(state, user, { RoleArn: roleArn("a"), RoleSessionName: "who" });
    expect(getCallerIdentity(ctx(callerFrom(result)))).toEqual({
      UserId: result.AssumedRoleUser.AssumedRoleId,
      Account: ACCT,
      Arn: result.AssumedRoleUser.Arn,
    });
  });
});
