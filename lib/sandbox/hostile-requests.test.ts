/**
 * Requests a careless or hostile client sends: made-up signed-header names, tokens that are
 * not quite tokens, keys mixed up with tokens, tag keys named like Object's own properties,
 * session policies that are JSON but not policies. Each must get AWS's answer, never a 500.
 */
import { CreateRoleCommand, PutRolePolicyCommand, TagRoleCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkError, startTestSandbox, type TestSandbox } from "./test-support";

process.env.AWS_EC2_METADATA_DISABLED = "true";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const ALL_STS = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];

let t: TestSandbox;
let account: string;
const roleArn = (name: string) => `arn:aws:iam::${account}:role/${name}`;

async function createRole(name: string, tags: Array<{ Key: string; Value: string }> = []) {
  const trust = doc({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: ALL_STS,
  });
  await t.iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust, Tags: tags }),
  );
}

async function sessionOf(name: string, extra: Record<string, unknown> = {}) {
  const out = await t.sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn(name), RoleSessionName: "hostile", ...extra }),
  );
  return {
    accessKeyId: out.Credentials?.AccessKeyId ?? "",
    secretAccessKey: out.Credentials?.SecretAccessKey ?? "",
    sessionToken: out.Credentials?.SessionToken ?? "",
  };
}

beforeAll(async () => {
  t = await startTestSandbox();
  account = t.sandbox.accountId;
  await createRole("plain");
});
afterAll(() => t.close());

describe("signatures and keys", () => {
  it.each(["constructor", "__proto__", "hasOwnProperty"])(
    "answers SignedHeaders naming %s with SignatureDoesNotMatch, not a 500",
    async (name) => {
      const now = new Date();
      const day = now.toISOString().slice(0, 10).replace(/-/g, "");
      const amzDate = `${day}T${now.toISOString().slice(11, 19).replace(/:/g, "")}Z`;
      const key = t.sandbox.baseUser.accessKeyId;
      const res = await fetch(`${t.sandbox.url}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-amz-date": amzDate,
          authorization:
            `AWS4-HMAC-SHA256 Credential=${key}/${day}/us-east-1/sts/aws4_request, ` +
            `SignedHeaders=host;${name};x-amz-date, Signature=${"0".repeat(64)}`,
        },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      const body = await res.text();
      expect(res.status).toBe(403);
      expect(/<Code>([^<]*)<\/Code>/.exec(body)?.[1]).toBe("SignatureDoesNotMatch");
    },
  );

  it("refuses a long-term AKIA key sent with a session token: InvalidClientTokenId", async () => {
    const session = await sessionOf("plain");
    const { sts } = t.clients({ ...t.sandbox.baseUser, sessionToken: session.sessionToken });
    const error = await sdkError(() => sts.send(new GetCallerIdentityCommand({})));
    expect([error.status, error.code]).toEqual([403, "InvalidClientTokenId"]);
  });

  it.each([
    ["with characters outside base64 in front", (token: string) => `!!${token}`],
    ["with white space inside", (token: string) => `${token.slice(0, 20)} ${token.slice(20)}`],
    ["with padding added at the end", (token: string) => `${token}=`],
  ])("refuses a session token %s: InvalidClientTokenId", async (_label, garble) => {
    const session = await sessionOf("plain");
    const garbled = garble(session.sessionToken);
    // Only a token that really differs from the issued one tests anything.
    expect(garbled).not.toBe(session.sessionToken);
    const { sts } = t.clients({ ...session, sessionToken: garbled });
    const error = await sdkError(() => sts.send(new GetCallerIdentityCommand({})));
    expect([error.status, error.code]).toEqual([403, "InvalidClientTokenId"]);
  });
});

describe("query strings that do not decode", () => {
  it.each([
    ["a session token", "X-Amz-Security-Token=SECRET-TOKEN-TEXT%ZZ"],
    ["a policy", "Policy=SECRET-TOKEN-TEXT%E0%A4"],
    ["a parameter name", "SECRET-TOKEN-TEXT%ZZ=1"],
  ])(
    "answers a bad escape in %s with MalformedQueryString that does not echo it",
    async (_l, q) => {
      const res = await fetch(`${t.sandbox.url}/?Action=GetCallerIdentity&${q}`);
      const body = await res.text();
      expect(res.status).toBe(400);
      expect(/<Code>([^<]*)<\/Code>/.exec(body)?.[1]).toBe("MalformedQueryString");
      expect(body).not.toContain("SECRET-TOKEN-TEXT");
    },
  );
});

describe("tag keys named like Object's own properties", () => {
  it("carries a transitive session tag __proto__ down the chain, not overridable", async () => {
    await createRole("proto-next");
    const session = await sessionOf("plain", {
      Tags: [{ Key: "__proto__", Value: "blue" }],
      TransitiveTagKeys: ["__proto__"],
    });
    const { sts } = t.clients(session);
    const error = await sdkError(() =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn("proto-next"),
          RoleSessionName: "next",
          Tags: [{ Key: "__PROTO__", Value: "red" }],
        }),
      ),
    );
    expect([error.status, error.code]).toEqual([400, "InvalidParameterValue"]);
  });

  it("gives a session its role's tag __proto__ as aws:PrincipalTag/__proto__", async () => {
    await createRole("proto-tagged", [{ Key: "__proto__", Value: "blue" }]);
    await createRole("proto-target");
    await t.iam.send(
      new PutRolePolicyCommand({
        RoleName: "proto-tagged",
        PolicyName: "by-tag",
        PolicyDocument: doc({
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalTag/__proto__": "blue" } },
        }),
      }),
    );
    const { sts } = t.clients(await sessionOf("proto-tagged"));
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn("proto-target"), RoleSessionName: "next" }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account}:assumed-role/proto-target/next`);
  });

  it("keeps a role tag __proto__ through TagRole like any other key", async () => {
    await createRole("proto-role-tags");
    await t.iam.send(
      new TagRoleCommand({
        RoleName: "proto-role-tags",
        Tags: [{ Key: "__proto__", Value: "x" }],
      }),
    );
    const { ListRoleTagsCommand } = await import("@aws-sdk/client-iam");
    const out = await t.iam.send(new ListRoleTagsCommand({ RoleName: "proto-role-tags" }));
    expect(out.Tags).toEqual([{ Key: "__proto__", Value: "x" }]);
  });
});

/** Policies that are JSON with the right top-level shape but wrong types deeper down. */
const MISTYPED = (extra: object): Array<[string, string]> => [
  ["an Action that is a number", doc({ Effect: "Allow", Action: 5, Resource: "*", ...extra })],
  [
    "an Action of nested arrays",
    doc({ Effect: "Allow", Action: [["*"]], Resource: "*", ...extra }),
  ],
  ["a Resource that is an object", doc({ Effect: "Allow", Action: "*", Resource: {}, ...extra })],
  [
    "a condition value of nested arrays",
    doc({
      Effect: "Allow",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { "aws:username": [["a"]] } },
      ...extra,
    }),
  ],
  ["an unknown statement key", doc({ Effect: "Allow", Action: "*", Resource: "*", Foo: 1 })],
];

describe("policies that are JSON but not policies", () => {
  it.each(MISTYPED({}))(
    "PutRolePolicy refuses %s: MalformedPolicyDocument, not a role that silently denies",
    async (_label, policy) => {
      const error = await sdkError(() =>
        t.iam.send(
          new PutRolePolicyCommand({
            RoleName: "plain",
            PolicyName: "bad",
            PolicyDocument: policy,
          }),
        ),
      );
      expect([error.status, error.code]).toEqual([400, "MalformedPolicyDocument"]);
    },
  );

  it.each([
    [
      "a Principal AWS that is a number",
      doc({ Effect: "Allow", Principal: { AWS: 5 }, Action: "sts:AssumeRole" }),
    ],
    [
      "an unknown principal type",
      doc({ Effect: "Allow", Principal: { Foo: "x" }, Action: "sts:AssumeRole" }),
    ],
    ["an Action that is a number", doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: 5 })],
  ])("CreateRole refuses a trust policy with %s: MalformedPolicyDocument", async (_l, trust) => {
    const error = await sdkError(() =>
      t.iam.send(new CreateRoleCommand({ RoleName: "bad-trust", AssumeRolePolicyDocument: trust })),
    );
    expect([error.status, error.code]).toEqual([400, "MalformedPolicyDocument"]);
  });
});

describe("session policies", () => {
  it.each([
    ["an array", "[]"],
    ["nested arrays", `${"[".repeat(500)}${"]".repeat(500)}`],
    ["an object without Statement", '{"a":1}'],
    ["a statement without Effect", '{"Statement":[{"Action":"*","Resource":"*"}]}'],
    ...MISTYPED({}),
  ])("refuses %s as a session policy: MalformedPolicyDocument", async (_label, policy) => {
    const error = await sdkError(() =>
      t.sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn("plain"), RoleSessionName: "s1", Policy: policy }),
      ),
    );
    expect([error.status, error.code]).toEqual([400, "MalformedPolicyDocument"]);
  });

  it("still takes a real session policy", async () => {
    const policy = doc({ Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" });
    const out = await t.sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn("plain"), RoleSessionName: "s1", Policy: policy }),
    );
    expect(out.PackedPolicySize).toBeGreaterThan(0);
  });
});
