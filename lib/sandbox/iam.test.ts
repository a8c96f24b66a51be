import {
  CreateRoleCommand,
  type CreateRoleCommandInput,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  GetUserCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
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

describe("CreateRole validation", () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  const statement = { Effect: "Allow", Action: "sts:AssumeRole" };
  const longTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ ...statement, Principal: { AWS: "*" }, Sid: "x".repeat(2100) }],
  });

  it.each<[string, Partial<CreateRoleCommandInput>, string, number, RegExp]>([
    [
      "a 65-character role name",
      { RoleName: "r".repeat(65) },
      "ValidationError",
      400,
      /length less than or equal to 64/,
    ],
    [
      "an empty role name",
      { RoleName: "" },
      "ValidationError",
      400,
      /length greater than or equal to 1/,
    ],
    [
      "a role name with a space",
      { RoleName: "bad name" },
      "ValidationError",
      400,
      /regular expression pattern: \[\\w\+=,\.@-\]\+/,
    ],
    [
      "a path without a trailing slash",
      { Path: "/team" },
      "ValidationError",
      400,
      /at 'path' failed/,
    ],
    [
      "a path without a leading slash",
      { Path: "team/" },
      "ValidationError",
      400,
      /at 'path' failed/,
    ],
    [
      "a 513-character path",
      { Path: `/${"p".repeat(511)}/` },
      "ValidationError",
      400,
      /length less than or equal to 512/,
    ],
    [
      "a path with a non-ASCII character",
      { Path: "/é/" },
      "ValidationError",
      400,
      /at 'path' failed/,
    ],
    [
      "MaxSessionDuration 3599",
      { MaxSessionDuration: 3599 },
      "ValidationError",
      400,
      /greater than or equal to 3600/,
    ],
    [
      "MaxSessionDuration 43201",
      { MaxSessionDuration: 43201 },
      "ValidationError",
      400,
      /less than or equal to 43200/,
    ],
    ["51 tags", { Tags: tags(51) }, "ValidationError", 400, /length less than or equal to 50/],
    [
      "a 129-character tag key",
      { Tags: [{ Key: "k".repeat(129), Value: "v" }] },
      "ValidationError",
      400,
      /tags\.1\.member\.key/,
    ],
    [
      "a 257-character tag value",
      { Tags: [{ Key: "k", Value: "v".repeat(257) }] },
      "ValidationError",
      400,
      /tags\.1\.member\.value/,
    ],
    [
      "tag keys differing only in case",
      {
        Tags: [
          { Key: "Team", Value: "a" },
          { Key: "team", Value: "b" },
        ],
      },
      "InvalidInput",
      400,
      /Duplicate tag keys/,
    ],
    [
      "a 1001-character description",
      { Description: "d".repeat(1001) },
      "ValidationError",
      400,
      /at 'description'/,
    ],
    [
      "a trust policy that is not JSON",
      { AssumeRolePolicyDocument: "{not json" },
      "MalformedPolicyDocument",
      400,
      /invalid Json/,
    ],
    [
      "a trust policy without Statement",
      { AssumeRolePolicyDocument: '{"Version":"2012-10-17"}' },
      "MalformedPolicyDocument",
      400,
      /Syntax errors/,
    ],
    [
      "a trust statement without Principal",
      { AssumeRolePolicyDocument: JSON.stringify({ Statement: [statement] }) },
      "MalformedPolicyDocument",
      400,
      /Principal/,
    ],
    [
      "a trust statement with a bad Effect",
      {
        AssumeRolePolicyDocument: JSON.stringify({
          Statement: [{ ...statement, Effect: "Maybe", Principal: "*" }],
        }),
      },
      "MalformedPolicyDocument",
      400,
      /Syntax errors/,
    ],
    [
      "a trust policy over 2048 characters",
      { AssumeRolePolicyDocument: longTrust },
      "LimitExceeded",
      409,
      /^Cannot exceed quota for ACLSizePerRole: 2048$/,
    ],
  ])("rejects %s", async (_rule, input, code, status, message) => {
    const error = await sdkError(() => createRole(input));
    expect(error).toMatchObject({ code, status });
    expect(error.message).toMatch(message);
  });

  it("reports every failed constraint of one request together", async () => {
    const error = await sdkError(() => createRole({ RoleName: "r".repeat(65), Path: "nope" }));
    expect(error.message).toMatch(/^2 validation errors detected: .*roleName.*; .*path/);
  });

  it("rejects a second role whose name differs only in case, naming it", async () => {
    await createRole({ RoleName: "CaseRole" });
    const error = await sdkError(() => createRole({ RoleName: "caserole" }));
    expect(error).toMatchObject({ code: "EntityAlreadyExists", status: 409 });
    expect(error.message).toBe("Role with name caserole already exists.");
  });

  it("accepts the limits: a 64-char name, 50 tags, 43200 seconds, a 512-char path", async () => {
    const path = `/${"p".repeat(510)}/`;
    const { Role } = await createRole({
      RoleName: "r".repeat(64),
      Path: path,
      Tags: tags(50),
      MaxSessionDuration: 43200,
    });
    expect(Role).toMatchObject({ Path: path, MaxSessionDuration: 43200 });
    expect(Role?.Tags).toHaveLength(50);
  });

  it("names the missing parameter", async () => {
    const error = await sdkError(() =>
      t.iam.send(new CreateRoleCommand({ RoleName: "x" } as CreateRoleCommandInput)),
    );
    expect(error).toMatchObject({ code: "ValidationError", status: 400 });
    expect(error.message).toMatch(/Value null at 'assumeRolePolicyDocument'.*must not be null/);
  });
});

describe("roles", () => {
  it("creates a role with AWS's identifiers and a URL-encoded trust policy", async () => {
    const name = uniqueName("ids");
    const { Role } = await createRole({ RoleName: name, Path: "/team/", Description: "d" });
    expect(Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(Role?.Arn).toBe(`arn:aws:iam::${t.sandbox.accountId}:role/team/${name}`);
    expect(Role?.MaxSessionDuration).toBe(3600);
    const got = await t.iam.send(new GetRoleCommand({ RoleName: name.toUpperCase() }));
    expect(got.Role?.RoleName).toBe(name);
    expect(JSON.parse(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ""))).toEqual(
      JSON.parse(trust),
    );
  });

  it("answers NoSuchEntity 404 for a role that does not exist", async () => {
    const error = await sdkError(() => t.iam.send(new GetRoleCommand({ RoleName: "ghost" })));
    expect(error).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect(error.message).toBe("The role with name ghost cannot be found.");
  });

  it("refuses to delete a role with inline policies, then deletes it", async () => {
    const name = uniqueName("del");
    await createRole({ RoleName: name });
    await t.iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "p",
        PolicyDocument: allowPolicy("s3:*"),
      }),
    );
    const error = await sdkError(() => t.iam.send(new DeleteRoleCommand({ RoleName: name })));
    expect(error).toMatchObject({ code: "DeleteConflict", status: 409 });
    await t.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: "p" }));
    await t.iam.send(new DeleteRoleCommand({ RoleName: name }));
    expect((await sdkError(() => t.iam.send(new GetRoleCommand({ RoleName: name })))).code).toBe(
      "NoSuchEntity",
    );
  });

  it("updates the trust policy, validating it as CreateRole does", async () => {
    const name = uniqueName("upd");
    await createRole({ RoleName: name });
    const next = trust.replace("root", "user/admin");
    await t.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: next }));
    const { Role } = await t.iam.send(new GetRoleCommand({ RoleName: name }));
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "")).toBe(next);
    const error = await sdkError(() =>
      t.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: "[" })),
    );
    expect(error.code).toBe("MalformedPolicyDocument");
  });

  it("pages ListRoles with MaxItems, Marker and IsTruncated, filtered by PathPrefix", async () => {
    const names = Array.from({ length: 5 }, (_, i) => `page-${i}`);
    for (const RoleName of names) await createRole({ RoleName, Path: "/paging/" });
    await createRole({ RoleName: "page-elsewhere", Path: "/other/" });
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await t.iam.send(
        new ListRolesCommand({ PathPrefix: "/paging/", MaxItems: 2, Marker }),
      );
      pages += 1;
      seen.push(...(page.Roles ?? []).map((role) => role.RoleName ?? ""));
      expect(page.IsTruncated).toBe(page.Marker !== undefined);
      Marker = page.Marker;
    } while (Marker);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
  });

  it.each([
    [{ MaxItems: 0 }, /greater than or equal to 1/],
    [{ MaxItems: 1001 }, /less than or equal to 1000/],
    [{ PathPrefix: "nope" }, /pathPrefix/],
  ])("rejects ListRoles %o", async (input, message) => {
    const error = await sdkError(() => t.iam.send(new ListRolesCommand(input)));
    expect(error.code).toBe("ValidationError");
    expect(error.message).toMatch(message);
  });
});

describe("account", () => {
  it("reports roles and the role quota in GetAccountSummary", async () => {
    const { SummaryMap } = await t.iam.send(new GetAccountSummaryCommand({}));
    expect(SummaryMap?.RolesQuota).toBe(1000);
    expect(SummaryMap?.Roles).toBeGreaterThan(0);
    expect(SummaryMap?.Users).toBe(1);
  });

  it("GetUser without a name returns the caller; with an unknown name, NoSuchEntity", async () => {
    const { User } = await t.iam.send(new GetUserCommand({}));
    expect(User).toMatchObject({ UserName: "admin", Path: "/", Arn: t.sandbox.baseUser.arn });
    expect(User?.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    const error = await sdkError(() => t.iam.send(new GetUserCommand({ UserName: "nobody" })));
    expect(error).toMatchObject({ code: "NoSuchEntity", status: 404 });
  });
});

describe("role quota", () => {
  it("refuses the 1001st role with LimitExceeded 409", async () => {
    const fresh = await startTestSandbox();
    try {
      const send = (RoleName: string) =>
        fresh.iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }));
      for (let start = 0; start < 1000; start += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => send(`q-${start + i}`)));
      }
      const error = await sdkError(() => send("q-1000"));
      expect(error).toMatchObject({ code: "LimitExceeded", status: 409 });
      expect(error.message).toBe("Cannot exceed quota for RolesPerAccount: 1000");
    } finally {
      await fresh.close();
    }
  });
});
