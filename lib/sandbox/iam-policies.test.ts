import {
  CreateRoleCommand,
  type CreateRoleCommandInput,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allowPolicy,
  sdkError,
  startTestSandbox,
  type TestSandbox,
  trustAccount,
} from "./test-support";

let t: TestSandbox;
let trust: string;
let counter = 0;
const uniqueName = (prefix = "role") => `${prefix}-${++counter}`;

beforeAll(async () => {
  t = await startTestSandbox();
  trust = trustAccount(t.sandbox.accountId);
});
afterAll(() => t.close());

const createRole = (input: Partial<CreateRoleCommandInput> = {}) =>
  t.iam.send(
    new CreateRoleCommand({ RoleName: uniqueName(), AssumeRolePolicyDocument: trust, ...input }),
  );

describe("inline policies and tags", () => {
  it("puts, gets (URL-encoded on the wire), lists and deletes inline policies", async () => {
    const name = uniqueName("pol");
    await createRole({ RoleName: name });
    const document = allowPolicy(["s3:GetObject"], "arn:aws:s3:::b/a b&c");
    await t.iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: "read", PolicyDocument: document }),
    );
    await t.iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: "also", PolicyDocument: document }),
    );
    const got = await t.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: "read" }));
    expect(decodeURIComponent(got.PolicyDocument ?? "")).toBe(document);
    const list = await t.iam.send(new ListRolePoliciesCommand({ RoleName: name }));
    expect(list).toMatchObject({ PolicyNames: ["also", "read"], IsTruncated: false });
    await t.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: "read" }));
    const error = await sdkError(() =>
      t.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: "read" })),
    );
    expect(error).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect(error.message).toBe("The role policy with name read cannot be found.");
  });

  it.each([
    ["not JSON", "nope", "MalformedPolicyDocument", /invalid Json/],
    [
      "a Principal",
      JSON.stringify({
        Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Principal: "*" }],
      }),
      "MalformedPolicyDocument",
      /principal/,
    ],
    [
      "no Resource",
      JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*" }] }),
      "MalformedPolicyDocument",
      /resources/,
    ],
  ])("rejects an inline policy with %s", async (_rule, document, code, message) => {
    const name = uniqueName("bad");
    await createRole({ RoleName: name });
    const error = await sdkError(() =>
      t.iam.send(
        new PutRolePolicyCommand({ RoleName: name, PolicyName: "p", PolicyDocument: document }),
      ),
    );
    expect(error).toMatchObject({ code, status: 400 });
    expect(error.message).toMatch(message);
  });

  it("limits a role's inline policies to 10240 characters in total", async () => {
    const name = uniqueName("big");
    await createRole({ RoleName: name });
    const sized = (n: number) =>
      allowPolicy(
        "s3:GetObject",
        `arn:aws:s3:::${"x".repeat(n - allowPolicy("s3:GetObject", "arn:aws:s3:::").length)}`,
      );
    await t.iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: "a", PolicyDocument: sized(6000) }),
    );
    // Replacing a policy counts its new size, not both.
    await t.iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: "a", PolicyDocument: sized(6000) }),
    );
    await t.iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: "b", PolicyDocument: sized(4240) }),
    );
    const error = await sdkError(() =>
      t.iam.send(
        new PutRolePolicyCommand({ RoleName: name, PolicyName: "c", PolicyDocument: sized(200) }),
      ),
    );
    expect(error).toMatchObject({ code: "LimitExceeded", status: 409 });
    expect(error.message).toBe(`Maximum policy size of 10240 bytes exceeded for role ${name}`);
  });

  it("tags, re-tags ignoring key case, lists and untags a role; 50 tags at most", async () => {
    const name = uniqueName("tags");
    await createRole({ RoleName: name, Tags: [{ Key: "Team", Value: "a" }] });
    await t.iam.send(
      new TagRoleCommand({
        RoleName: name,
        Tags: [
          { Key: "team", Value: "b" },
          { Key: "env", Value: "dev" },
        ],
      }),
    );
    const listed = await t.iam.send(new ListRoleTagsCommand({ RoleName: name }));
    expect(listed.Tags).toEqual([
      { Key: "team", Value: "b" },
      { Key: "env", Value: "dev" },
    ]);
    await t.iam.send(new UntagRoleCommand({ RoleName: name, TagKeys: ["TEAM"] }));
    expect((await t.iam.send(new ListRoleTagsCommand({ RoleName: name }))).Tags).toEqual([
      { Key: "env", Value: "dev" },
    ]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    const error = await sdkError(() =>
      t.iam.send(new TagRoleCommand({ RoleName: name, Tags: many })),
    );
    expect(error).toMatchObject({ code: "LimitExceeded", status: 409 });
    const page = await t.iam.send(new ListRoleTagsCommand({ RoleName: name, MaxItems: 1 }));
    expect(page).toMatchObject({ IsTruncated: false, Tags: [{ Key: "env", Value: "dev" }] });
  });
});

describe("authorization of IAM actions", () => {
  it("lets a role session call only the IAM actions its inline policies allow", async () => {
    const name = uniqueName("session");
    await createRole({ RoleName: name });
    await t.iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "p",
        PolicyDocument: allowPolicy(["iam:ListRoles", "iam:GetRole"]),
      }),
    );
    const assumed = await t.sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${t.sandbox.accountId}:role/${name}`,
        RoleSessionName: "s1",
      }),
    );
    const c = assumed.Credentials;
    const session = t.clients({
      accessKeyId: c?.AccessKeyId ?? "",
      secretAccessKey: c?.SecretAccessKey ?? "",
      sessionToken: c?.SessionToken ?? "",
    });
    await session.iam.send(new GetRoleCommand({ RoleName: name }));
    const noName = await sdkError(() => session.iam.send(new GetUserCommand({})));
    expect(noName).toMatchObject({ code: "ValidationError", status: 400 });
    expect(noName.message).toBe("Must specify userName when calling with non-User credentials");
    const error = await sdkError(() =>
      session.iam.send(
        new CreateRoleCommand({ RoleName: uniqueName(), AssumeRolePolicyDocument: trust }),
      ),
    );
    expect(error).toMatchObject({ code: "AccessDenied", status: 403 });
    expect(error.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::${t.sandbox.accountId}:assumed-role/${name}/s1 is not ` +
          "authorized to perform: iam:CreateRole on resource: arn:aws:iam::",
      ),
    );
  });
});

describe("principal tags of seeded users", () => {
  it("evaluates aws:PrincipalTag conditions against a seeded user's tags", async () => {
    const onlyBlue = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "iam:GetUser",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalTag/team": "blue" } },
        },
      ],
    });
    const seed = (userName: string, team: string, n: number) => ({
      userName,
      accessKeyId: `AKIATAGGED0000000${n}00`,
      secretAccessKey: `made-up-${userName}`,
      policies: [onlyBlue],
      tags: { team },
    });
    const blue = seed("blue-user", "blue", 1);
    const red = seed("red-user", "red", 2);
    const tagged = await startTestSandbox({ seedUsers: [blue, red] });
    try {
      const ok = await tagged.clients(blue).iam.send(new GetUserCommand({}));
      expect(ok.User?.UserName).toBe("blue-user");
      const denied = await sdkError(() => tagged.clients(red).iam.send(new GetUserCommand({})));
      expect(denied).toMatchObject({ code: "AccessDenied", status: 403 });
    } finally {
      await tagged.close();
    }
  });
});
