/**
 * The STS rules over HTTP, through the real AWS SDK clients, as a user would call AWS.
 * Every client gets an explicit endpoint, region and credentials: nothing may fall back to a
 * default credential chain or a real AWS host.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  type Credentials,
  GetCallerIdentityCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./index";
import { StsMessages } from "./sts";

process.env.AWS_EC2_METADATA_DISABLED = "true";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const ALL_STS = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];
const ALLOW_STS = doc({ Effect: "Allow", Action: ALL_STS, Resource: "*" });

let dataDir: string;
let sandbox: Sandbox;
let iam: IAMClient;
let baseSts: STSClient;
let account: string;

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function stsWith(credentials: Keys, systemClockOffset = 0): STSClient {
  return new STSClient({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials,
    systemClockOffset,
    maxAttempts: 1,
  });
}

const keysOf = (c: Credentials | undefined): Keys => ({
  accessKeyId: c?.AccessKeyId ?? "",
  secretAccessKey: c?.SecretAccessKey ?? "",
  sessionToken: c?.SessionToken,
});

async function createRole(name: string, trust: string, maxSessionDuration = 3600) {
  const out = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Path: "/rolechain/",
      AssumeRolePolicyDocument: trust,
      MaxSessionDuration: maxSessionDuration,
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: name, PolicyName: "chain", PolicyDocument: ALLOW_STS }),
  );
  return out.Role?.Arn ?? "";
}

const rootTrust = () =>
  doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ALL_STS });

async function assume(client: STSClient, input: Partial<AssumeRoleCommandInput>) {
  return client.send(new AssumeRoleCommand({ RoleSessionName: "hop", RoleArn: "", ...input }));
}

/** The AWS error a call ends with: code (as the SDK names it), message and HTTP status. */
async function awsError(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    // The SDK names modelled errors after their class (MalformedPolicyDocumentException);
    // `Code` carries the code on the wire, which is what AWS's documentation lists.
    const e = error as {
      name: string;
      Code?: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return { code: e.Code ?? e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected an AWS error");
}

let roleA: string;
let roleB: string;
let roleLong: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "rolechain-sts-http-"));
  sandbox = await startSandbox({ dataDir });
  account = sandbox.accountId;
  const base = {
    accessKeyId: sandbox.baseUser.accessKeyId,
    secretAccessKey: sandbox.baseUser.secretAccessKey,
  };
  iam = new IAMClient({ endpoint: sandbox.url, region: "us-east-1", credentials: base });
  baseSts = stsWith(base);
  roleA = await createRole("http-a", rootTrust());
  roleB = await createRole("http-b", rootTrust());
  roleLong = await createRole("http-long", rootTrust(), 43200);
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("AssumeRole over HTTP", () => {
  it("returns AWS-shaped credentials that the SDK can use at once", async () => {
    const out = await assume(baseSts, { RoleArn: roleA, RoleSessionName: "first" });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account}:assumed-role/http-a/first`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:first$/);
    const who = await stsWith(keysOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Arn: out.AssumedRoleUser?.Arn,
      UserId: out.AssumedRoleUser?.AssumedRoleId,
      Account: account,
    });
  });

  it("answers GetCallerIdentity for the base user with its AIDA id", async () => {
    const who = await baseSts.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(sandbox.baseUser.arn);
    expect(who.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  });

  it.each([
    [
      "a one-character session name",
      { RoleSessionName: "a" },
      400,
      "ValidationError",
      /at 'roleSessionName' failed .* Member must have length greater than or equal to 2$/,
    ],
    [
      "a 65-character session name",
      { RoleSessionName: "s".repeat(65) },
      400,
      "ValidationError",
      /Member must have length less than or equal to 64$/,
    ],
    [
      "a session name with a space",
      { RoleSessionName: "a b" },
      400,
      "ValidationError",
      /Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*$/,
    ],
    [
      "DurationSeconds 899",
      { DurationSeconds: 899 },
      400,
      "ValidationError",
      /Member must have value greater than or equal to 900$/,
    ],
    [
      "DurationSeconds above MaxSessionDuration",
      { DurationSeconds: 7200 },
      400,
      "ValidationError",
      /^The requested DurationSeconds exceeds the MaxSessionDuration set for this role\.$/,
    ],
    [
      "a RoleArn that is not an ARN",
      { RoleArn: "nothing-valid-in-here" },
      400,
      "ValidationError",
      /^nothing-valid-in-here is invalid$/,
    ],
    [
      "a role that does not exist",
      { RoleArn: "arn:aws:iam::123456789012:role/rolechain/none" },
      403,
      "AccessDenied",
      /is not authorized to perform: sts:AssumeRole on resource: \S+:role\/rolechain\/none$/,
    ],
    [
      "duplicate tag keys",
      {
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "A", Value: "2" },
        ],
      },
      400,
      "InvalidParameterValue",
      /^Duplicate tag keys found/,
    ],
    [
      "a transitive key without its tag",
      { Tags: [{ Key: "a", Value: "1" }], TransitiveTagKeys: ["b"] },
      400,
      "InvalidParameterValue",
      /must be included in the requested tags\.$/,
    ],
    [
      "a session policy that is not JSON",
      { Policy: "{not json" },
      400,
      "MalformedPolicyDocument",
      /^The policy is not in the valid JSON format\.$/,
    ],
  ])("refuses %s with AWS's error", async (_name, input, status, code, message) => {
    const error = await awsError(assume(baseSts, { RoleArn: roleA, ...input }));
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("allows a user up to MaxSessionDuration, and a chained hop only one hour", async () => {
    const long = await assume(baseSts, { RoleArn: roleLong, DurationSeconds: 7200 });
    const session = stsWith(keysOf(long.Credentials));
    const error = await awsError(assume(session, { RoleArn: roleA, DurationSeconds: 3601 }));
    expect(error).toEqual({
      code: "ValidationError",
      message: StsMessages.chainedDuration,
      status: 400,
    });
    await expect(assume(session, { RoleArn: roleA, DurationSeconds: 3600 })).resolves.toBeDefined();
  });

  it("lets a role assume itself only when its trust policy names it", async () => {
    const session = stsWith(keysOf((await assume(baseSts, { RoleArn: roleB })).Credentials));
    expect((await awsError(assume(session, { RoleArn: roleB }))).code).toBe("AccessDenied");
    const named = await createRole(
      "http-self",
      doc(
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ALL_STS },
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:role/rolechain/http-self` },
          Action: "sts:AssumeRole",
        },
      ),
    );
    const self = stsWith(keysOf((await assume(baseSts, { RoleArn: named })).Credentials));
    await expect(assume(self, { RoleArn: named })).resolves.toBeDefined();
  });

  it("passes transitive tags down the chain and refuses to override them", async () => {
    const first = await assume(baseSts, {
      RoleArn: roleA,
      Tags: [{ Key: "Project", Value: "blue" }],
      TransitiveTagKeys: ["Project"],
    });
    expect(first.PackedPolicySize).toBeGreaterThan(0);
    const second = await assume(stsWith(keysOf(first.Credentials)), { RoleArn: roleB });
    const third = stsWith(keysOf(second.Credentials));
    const error = await awsError(
      assume(third, { RoleArn: roleA, Tags: [{ Key: "project", Value: "red" }] }),
    );
    expect(error).toEqual({
      code: "InvalidParameterValue",
      message: StsMessages.transitiveConflict,
      status: 400,
    });
  });

  it("keeps the SourceIdentity down the chain and refuses a change", async () => {
    const first = await assume(baseSts, { RoleArn: roleA, SourceIdentity: "alice" });
    expect(first.SourceIdentity).toBe("alice");
    const session = stsWith(keysOf(first.Credentials));
    expect((await assume(session, { RoleArn: roleB })).SourceIdentity).toBe("alice");
    const error = await awsError(assume(session, { RoleArn: roleB, SourceIdentity: "bob" }));
    expect(error.code).toBe("AccessDenied");
    expect(error.message).toContain("sts:SetSourceIdentity");
  });

  it("keeps a new role unassumable during the propagation delay", async () => {
    sandbox.setKnobs({ propagationDelayMs: 60_000 });
    try {
      const fresh = await createRole("http-fresh", rootTrust());
      expect((await awsError(assume(baseSts, { RoleArn: fresh }))).code).toBe("AccessDenied");
      // A minute later (sandbox clock and the client's signing clock both moved on) it is.
      sandbox.setKnobs({ clockOffsetMs: 61_000 });
      const later = stsWith(
        {
          accessKeyId: sandbox.baseUser.accessKeyId,
          secretAccessKey: sandbox.baseUser.secretAccessKey,
        },
        61_000,
      );
      await expect(assume(later, { RoleArn: fresh })).resolves.toBeDefined();
    } finally {
      sandbox.setKnobs({ propagationDelayMs: 0, clockOffsetMs: 0 });
    }
  });

  it("refuses an expired session with ExpiredToken", async () => {
    const out = await assume(baseSts, { RoleArn: roleA, DurationSeconds: 900 });
    const later = 901_000;
    sandbox.setKnobs({ clockOffsetMs: later });
    try {
      const error = await awsError(
        stsWith(keysOf(out.Credentials), later).send(new GetCallerIdentityCommand({})),
      );
      expect(error).toMatchObject({ code: "ExpiredToken", status: 403 });
    } finally {
      sandbox.setKnobs({ clockOffsetMs: 0 });
    }
  });

  it("refuses a session token that was tampered with", async () => {
    const keys = keysOf((await assume(baseSts, { RoleArn: roleA })).Credentials);
    const token = Buffer.from(keys.sessionToken ?? "", "base64");
    token[token.length - 1] = (token[token.length - 1] ?? 0) ^ 1;
    const forged = { ...keys, sessionToken: token.toString("base64") };
    const error = await awsError(stsWith(forged).send(new GetCallerIdentityCommand({})));
    expect(error).toMatchObject({ code: "InvalidClientTokenId", status: 403 });
  });

  it("honours sessions issued before a restart of the sandbox", async () => {
    const keys = keysOf(
      (await assume(baseSts, { RoleArn: roleA, RoleSessionName: "pre" })).Credentials,
    );
    await sandbox.close();
    sandbox = await startSandbox({ dataDir });
    const who = await stsWith(keys).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${account}:assumed-role/http-a/pre`);
    iam = new IAMClient({
      endpoint: sandbox.url,
      region: "us-east-1",
      credentials: {
        accessKeyId: sandbox.baseUser.accessKeyId,
        secretAccessKey: sandbox.baseUser.secretAccessKey,
      },
    });
    baseSts = stsWith({
      accessKeyId: sandbox.baseUser.accessKeyId,
      secretAccessKey: sandbox.baseUser.secretAccessKey,
    });
  });
});
