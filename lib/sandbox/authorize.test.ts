import { describe, expect, it } from "vitest";
import {
  decisionCacheSize,
  evaluatePolicies,
  parsePolicy,
  policyCacheSize,
  principalContext,
  type RequestContext,
} from "./authorize";
import type { Caller, RoleRecord, SessionClaims, StsStateReader } from "./contracts";

const ACCT = "111111111111";
const OTHER = "222222222222";
const USER = `arn:aws:iam::${ACCT}:user/alice`;
const OTHER_USER = `arn:aws:iam::${OTHER}:user/mallory`;
const ROLE_A = `arn:aws:iam::${ACCT}:role/rolechain/a`;
const SESSION_A = `arn:aws:sts::${ACCT}:assumed-role/a/hop-1`;
const SESSION_C = `arn:aws:sts::${ACCT}:assumed-role/c/hop-1`;
const TARGET = `arn:aws:iam::${ACCT}:role/rolechain/b`;

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const trust = (principal: unknown, extra: object = {}) =>
  doc({ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", ...extra });
const allowAssume = (resource = "*", action: string | string[] = "sts:AssumeRole") =>
  doc({ Effect: "Allow", Action: action, Resource: resource });
const denyAssume = doc({ Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" });

interface Row {
  rule: string;
  principal: string;
  identity: string[];
  trustPolicy: string;
  allowed: boolean;
  action?: string;
  context?: RequestContext;
  resourceAccount?: string;
}

const rows: Row[] = [
  {
    rule: "trust naming the account root plus an identity Allow allows",
    principal: USER,
    identity: [allowAssume()],
    trustPolicy: trust(`arn:aws:iam::${ACCT}:root`),
    allowed: true,
  },
  {
    rule: "trust naming the account root without an identity Allow denies",
    principal: USER,
    identity: [],
    trustPolicy: trust(`arn:aws:iam::${ACCT}:root`),
    allowed: false,
  },
  {
    rule: "trust naming the bare account id behaves as the root ARN",
    principal: USER,
    identity: [allowAssume()],
    trustPolicy: trust(ACCT),
    allowed: true,
  },
  {
    rule: "trust naming the user's ARN allows on its own in the same account",
    principal: USER,
    identity: [],
    trustPolicy: trust(USER),
    allowed: true,
  },
  {
    rule: "trust naming a role's ARN allows that role's sessions on its own",
    principal: SESSION_A,
    identity: [],
    trustPolicy: trust(ROLE_A),
    allowed: true,
  },
  {
    rule: "trust naming a role's ARN does not allow another role's sessions",
    principal: SESSION_C,
    identity: [allowAssume()],
    trustPolicy: trust(ROLE_A),
    allowed: false,
  },
  {
    rule: "an identity Deny wins over a trust naming the user",
    principal: USER,
    identity: [denyAssume],
    trustPolicy: trust(USER),
    allowed: false,
  },
  {
    rule: "a trust Deny wins over root trust and an identity Allow",
    principal: USER,
    identity: [allowAssume()],
    trustPolicy: doc(
      { Effect: "Allow", Principal: { AWS: ACCT }, Action: "sts:AssumeRole" },
      { Effect: "Deny", Principal: { AWS: USER }, Action: "sts:AssumeRole" },
    ),
    allowed: false,
  },
  {
    rule: "an identity Allow on another resource does not count",
    principal: USER,
    identity: [allowAssume(`arn:aws:iam::${ACCT}:role/other`)],
    trustPolicy: trust(ACCT),
    allowed: false,
  },
  {
    rule: "an identity Allow on the role's ARN counts",
    principal: USER,
    identity: [allowAssume(TARGET)],
    trustPolicy: trust(ACCT),
    allowed: true,
  },
  {
    rule: "cross-account: trust naming the other account plus its identity Allow allows",
    principal: OTHER_USER,
    identity: [allowAssume()],
    trustPolicy: trust(OTHER),
    allowed: true,
  },
  {
    rule: "cross-account: trust naming the exact user still needs its identity Allow",
    principal: OTHER_USER,
    identity: [],
    trustPolicy: trust(OTHER_USER),
    allowed: false,
  },
  {
    rule: "sts:ExternalId condition met allows",
    principal: USER,
    identity: [],
    trustPolicy: trust(USER, { Condition: { StringEquals: { "sts:ExternalId": "x-42" } } }),
    context: { "sts:ExternalId": "x-42" },
    allowed: true,
  },
  {
    rule: "sts:ExternalId condition missed denies",
    principal: USER,
    identity: [],
    trustPolicy: trust(USER, { Condition: { StringEquals: { "sts:ExternalId": "x-42" } } }),
    context: {},
    allowed: false,
  },
  {
    rule: "sts:RoleSessionName condition is evaluated",
    principal: USER,
    identity: [],
    trustPolicy: trust(USER, { Condition: { StringLike: { "sts:RoleSessionName": "hop-*" } } }),
    context: { "sts:RoleSessionName": "other" },
    allowed: false,
  },
  {
    rule: "aws:PrincipalTag condition is evaluated",
    principal: USER,
    identity: [],
    trustPolicy: trust(USER, { Condition: { StringEquals: { "aws:PrincipalTag/team": "blue" } } }),
    context: { "aws:PrincipalTag/team": "blue" },
    allowed: true,
  },
  {
    rule: "sts:TagSession needs its own Allow",
    action: "sts:TagSession",
    principal: USER,
    identity: [],
    trustPolicy: trust(USER),
    allowed: false,
  },
  {
    rule: "sts:TagSession with an aws:RequestTag condition met allows",
    action: "sts:TagSession",
    principal: USER,
    identity: [],
    trustPolicy: doc({
      Effect: "Allow",
      Principal: { AWS: USER },
      Action: "sts:TagSession",
      Condition: { StringEquals: { "aws:RequestTag/Project": "blue" } },
    }),
    context: { "aws:RequestTag/Project": "blue", "aws:TagKeys": ["Project"] },
    allowed: true,
  },
  {
    rule: "sts:SetSourceIdentity with a sts:SourceIdentity condition missed denies",
    action: "sts:SetSourceIdentity",
    principal: USER,
    identity: [],
    trustPolicy: doc({
      Effect: "Allow",
      Principal: { AWS: USER },
      Action: "sts:SetSourceIdentity",
      Condition: { StringEquals: { "sts:SourceIdentity": "alice" } },
    }),
    context: { "sts:SourceIdentity": "bob" },
    allowed: false,
  },
  {
    rule: "a trust policy that is not JSON denies",
    principal: USER,
    identity: [allowAssume()],
    trustPolicy: "{not json",
    allowed: false,
  },
];

describe("evaluatePolicies", () => {
  it.each(rows)("$rule", async (row) => {
    const decision = await evaluatePolicies({
      principalArn: row.principal,
      action: row.action ?? "sts:AssumeRole",
      resourceArn: TARGET,
      resourceAccount: row.resourceAccount ?? ACCT,
      identityPolicies: row.identity,
      resourcePolicy: row.trustPolicy,
      context: row.context ?? {},
    });
    expect(decision.allowed).toBe(row.allowed);
  });

  it.each([
    ["the user's ARN", USER, trust(USER), true],
    ["the session's role ARN", SESSION_A, trust(ROLE_A), true],
    ["only the account root", SESSION_A, trust(`arn:aws:iam::${ACCT}:root`), false],
  ])("tells whether the trust policy names the principal: %s", async (_, who, policy, named) => {
    const decision = await evaluatePolicies({
      principalArn: who,
      action: "sts:AssumeRole",
      resourceArn: TARGET,
      resourceAccount: ACCT,
      identityPolicies: [allowAssume()],
      resourcePolicy: policy,
      context: {},
    });
    expect(decision.namedInResourcePolicy).toBe(named);
  });

  it("limits an allowed role session with its session policy", async () => {
    const request = {
      principalArn: SESSION_A,
      action: "sts:AssumeRole",
      resourceArn: TARGET,
      resourceAccount: ACCT,
      identityPolicies: [allowAssume()],
      resourcePolicy: trust(ACCT),
      context: {},
    };
    expect((await evaluatePolicies(request)).allowed).toBe(true);
    const narrowed = { ...request, sessionPolicy: allowAssume(`arn:aws:iam::${ACCT}:role/x`) };
    expect((await evaluatePolicies(narrowed)).allowed).toBe(false);
  });
});

describe("evaluatePolicies' decision cache", () => {
  const ask = (principalArn: string, resourcePolicy: string, context: RequestContext = {}) =>
    evaluatePolicies({
      principalArn,
      action: "sts:AssumeRole",
      resourceArn: TARGET,
      resourceAccount: ACCT,
      identityPolicies: [],
      resourcePolicy,
      context: { "aws:CurrentTime": new Date().toISOString(), ...context },
    });

  it("asks the library once for the same question from any session of a role", async () => {
    const policy = trust(ROLE_A, { Sid: "cache-1" });
    await ask(SESSION_A, policy);
    const size = decisionCacheSize();
    const again = await ask(`arn:aws:sts::${ACCT}:assumed-role/a/hop-2`, policy);
    expect(again.allowed).toBe(true);
    expect(decisionCacheSize()).toBe(size);
  });

  it.each([
    [
      "a session-name condition",
      trust(ROLE_A, { Condition: { StringEquals: { "sts:RoleSessionName": "hop-1" } } }),
      [SESSION_A, { "sts:RoleSessionName": "hop-1" }],
      [`arn:aws:sts::${ACCT}:assumed-role/a/hop-2`, { "sts:RoleSessionName": "hop-2" }],
    ],
    [
      "a trust naming one session's ARN",
      trust(SESSION_A),
      [SESSION_A, {}],
      [`arn:aws:sts::${ACCT}:assumed-role/a/hop-2`, {}],
    ],
    [
      "a time condition",
      trust(USER, { Condition: { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } } }),
      [USER, {}],
      [USER, { "aws:CurrentTime": "2031-01-01T00:00:00Z" }],
    ],
  ] as const)("never answers from the cache across %s", async (_name, policy, yes, no) => {
    expect((await ask(yes[0], policy, yes[1])).allowed).toBe(true);
    expect((await ask(no[0], policy, no[1])).allowed).toBe(false);
  });
});

describe("parsePolicy", () => {
  it("keeps a bounded number of parsed documents", () => {
    for (let i = 0; i < 2500; i++) parsePolicy(allowAssume(`arn:aws:iam::${ACCT}:role/r${i}`));
    expect(policyCacheSize()).toBeLessThanOrEqual(2000);
  });

  it("returns the same parsed object for the same text", () => {
    const text = trust(USER);
    expect(parsePolicy(text)).toBe(parsePolicy(text));
  });
});

describe("principalContext", () => {
  const role: RoleRecord = {
    accountId: ACCT,
    roleName: "a",
    roleId: "AROAAAAAAAAAAAAAAAAAA",
    path: "/rolechain/",
    arn: ROLE_A,
    assumeRolePolicyDocument: trust(ACCT),
    maxSessionDuration: 3600,
    createDate: 0,
    tags: [
      { Key: "team", Value: "role-team" },
      { Key: "cost", Value: "42" },
    ],
  };
  const state: StsStateReader = {
    accountId: ACCT,
    getRoleByName: (name) => (name.toLowerCase() === "a" ? role : undefined),
    getUserPolicies: () => [],
    getRolePolicies: () => [],
    getUserTags: () => ({ dept: "ops" }),
  };
  const claims: SessionClaims = {
    accountId: ACCT,
    roleArn: ROLE_A,
    roleName: "a",
    roleId: role.roleId,
    sessionName: "hop-1",
    issuedAt: Date.UTC(2026, 0, 1),
    expiresAt: Date.UTC(2026, 0, 1, 1),
    chained: false,
    tags: { TEAM: "session-team" },
    transitiveTagKeys: [],
    sourceIdentity: "alice",
  };
  const now = Date.UTC(2026, 0, 1, 0, 30);

  it("describes a user by ARN, id, name and IAM tags", () => {
    const caller: Caller = {
      kind: "user",
      accountId: ACCT,
      arn: USER,
      userName: "alice",
      userId: "AIDAAAAAAAAAAAAAAAAAA",
      accessKeyId: "AKIAAAAAAAAAAAAAAAAA",
    };
    expect(principalContext(state, caller, now)).toMatchObject({
      "aws:PrincipalArn": USER,
      "aws:PrincipalAccount": ACCT,
      "aws:userid": "AIDAAAAAAAAAAAAAAAAAA",
      "aws:username": "alice",
      "aws:PrincipalTag/dept": "ops",
      "aws:CurrentTime": "2026-01-01T00:30:00.000Z",
    });
  });

  it("describes a session by its role's ARN, role id and session name, tags overridden", () => {
    const caller: Caller = {
      kind: "assumed-role",
      accountId: ACCT,
      arn: SESSION_A,
      session: claims,
      accessKeyId: "ASIAAAAAAAAAAAAAAAAA",
    };
    const context = principalContext(state, caller, now);
    expect(context).toMatchObject({
      "aws:PrincipalArn": ROLE_A,
      "aws:userid": `${role.roleId}:hop-1`,
      "aws:SourceIdentity": "alice",
      "aws:PrincipalTag/TEAM": "session-team",
      "aws:PrincipalTag/cost": "42",
    });
    expect(context["aws:PrincipalTag/team"]).toBeUndefined();
    expect(context["aws:username"]).toBeUndefined();
  });
});
