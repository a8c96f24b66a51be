import { Sha256 } from "@aws-crypto/sha256-js";
import {
  CreateRoleCommand,
  GetUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  allowPolicy,
  rawRequest,
  sdkError,
  startTestSandbox,
  type TestSandbox,
  trustAccount,
} from "./test-support";

const SEEDED = {
  userName: "alice",
  accessKeyId: "AKIAALICE00000000001",
  secretAccessKey: "alice-secret-0000000000000000000000000000",
};

let t: TestSandbox;
let roleArn: string;

beforeAll(async () => {
  t = await startTestSandbox({
    seedUsers: [{ ...SEEDED, policies: [allowPolicy(["iam:GetUser", "sts:AssumeRole"])] }],
  });
  roleArn = `arn:aws:iam::${t.sandbox.accountId}:role/auth-role`;
  await t.iam.send(
    new CreateRoleCommand({
      RoleName: "auth-role",
      AssumeRolePolicyDocument: trustAccount(t.sandbox.accountId),
    }),
  );
  await t.iam.send(
    new PutRolePolicyCommand({
      RoleName: "auth-role",
      PolicyName: "p",
      PolicyDocument: allowPolicy("iam:GetRole"),
    }),
  );
});
afterEach(() => t.sandbox.setKnobs({ clockOffsetMs: 0 }));
afterAll(() => t.close());

const base = () => t.sandbox.baseUser;

async function assume(durationSeconds = 900) {
  const { Credentials } = await t.sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: "auth",
      DurationSeconds: durationSeconds,
    }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId ?? "",
    secretAccessKey: Credentials?.SecretAccessKey ?? "",
    sessionToken: Credentials?.SessionToken ?? "",
  };
}

describe("SigV4 authentication", () => {
  it("accepts a seeded user's own keys and answers as that user", async () => {
    const { iam } = t.clients(SEEDED);
    const { User } = await iam.send(new GetUserCommand({}));
    expect(User?.Arn).toBe(`arn:aws:iam::${t.sandbox.accountId}:user/alice`);
  });

  it.each([
    [
      "an unknown access key",
      { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x".repeat(40) },
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
    ],
    [
      "a session key without its token",
      { accessKeyId: "ASIAUNKNOWN000000000", secretAccessKey: "x".repeat(40) },
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
    ],
    [
      "a forged session token",
      {
        accessKeyId: "ASIAUNKNOWN000000000",
        secretAccessKey: "x".repeat(40),
        sessionToken: "AQ".repeat(40),
      },
      "InvalidClientTokenId",
      "The security token included in the request is invalid.",
    ],
  ])("refuses %s with 403", async (_case, credentials, code, message) => {
    const error = await sdkError(() =>
      t.clients(credentials).sts.send(new GetCallerIdentityCommand({})),
    );
    expect(error).toMatchObject({ code, status: 403, message });
  });

  it("refuses a signature made with the wrong secret: SignatureDoesNotMatch 403", async () => {
    const credentials = { accessKeyId: base().accessKeyId, secretAccessKey: "w".repeat(40) };
    const error = await sdkError(() => t.clients(credentials).iam.send(new GetUserCommand({})));
    expect(error).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
  });

  it("refuses a body changed after signing", async () => {
    const res = await rawRequest(t.sandbox, {
      form: "Action=GetRole&RoleName=auth-role&Version=2010-05-08",
      tamperedBody: "Action=DeleteRole&RoleName=auth-role&Version=2010-05-08",
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("refuses a session token presented with another session's key id", async () => {
    const one = await assume();
    const two = await assume();
    const mixed = { ...one, sessionToken: two.sessionToken };
    const error = await sdkError(() => t.clients(mixed).sts.send(new GetCallerIdentityCommand({})));
    expect(error).toMatchObject({ code: "InvalidClientTokenId", status: 403 });
  });

  it.each([
    [
      "16 minutes behind",
      16 * 60_000,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    ],
    [
      "16 minutes ahead",
      -16 * 60_000,
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    ],
  ])("refuses a request signed %s of the sandbox clock", async (_case, offset, message) => {
    t.sandbox.setKnobs({ clockOffsetMs: offset });
    // A fresh client each time: an SDK client remembers a skew it has seen.
    const error = await sdkError(() => t.clients(base()).iam.send(new GetUserCommand({})));
    expect(error).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
    expect(error.message).toMatch(message);
  });

  it("accepts a request 14 minutes off the sandbox clock", async () => {
    t.sandbox.setKnobs({ clockOffsetMs: 14 * 60_000 });
    await expect(t.clients(base()).iam.send(new GetUserCommand({}))).resolves.toBeDefined();
  });

  it("lets a retrying SDK correct its clock skew from the Date header", async () => {
    t.sandbox.setKnobs({ clockOffsetMs: 40 * 60_000 });
    const iam = new IAMClient({
      endpoint: t.sandbox.url,
      region: "us-east-1",
      credentials: { ...base() },
    });
    const { User } = await iam.send(new GetUserCommand({}));
    expect(User?.UserName).toBe("admin");
  });

  it("answers ExpiredToken 403 once the session's expiry passes on the sandbox clock", async () => {
    const session = await assume(900);
    const { sts } = t.clients(session);
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    const past = 901_000;
    t.sandbox.setKnobs({ clockOffsetMs: past });
    // The client's clock moves with the sandbox's, so only the expiry is wrong.
    const late = new STSClient({
      endpoint: t.sandbox.url,
      region: "us-east-1",
      credentials: session,
      maxAttempts: 1,
      systemClockOffset: past,
    });
    const error = await sdkError(() => late.send(new GetCallerIdentityCommand({})));
    expect(error).toMatchObject({
      code: "ExpiredToken",
      status: 403,
      message: "The security token included in the request is expired",
    });
  });

  it("records the region each request was signed for", async () => {
    const before = t.sandbox.stats().regions["ap-southeast-2"] ?? 0;
    await t.clients(base(), "ap-southeast-2").sts.send(new GetCallerIdentityCommand({}));
    expect(t.sandbox.stats().regions["ap-southeast-2"]).toBe(before + 1);
  });
});

describe("presigned requests (SigV4 query-string auth)", () => {
  async function presignedGetCallerIdentity(
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
    signedAt: number,
    expiresIn: number,
  ): Promise<{ status: number; body: string }> {
    const url = new URL(t.sandbox.url);
    const signer = new SignatureV4({
      credentials,
      region: "us-east-1",
      service: "sts",
      sha256: Sha256,
    });
    const presigned = await signer.presign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: url.host },
      }),
      { signingDate: new Date(signedAt), expiresIn },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const response = await fetch(`${t.sandbox.url}/?${query.replace(/\+/g, "%20")}`);
    return { status: response.status, body: await response.text() };
  }

  it("answers a presigned GetCallerIdentity as the signer", async () => {
    const res = await presignedGetCallerIdentity({ ...base() }, Date.now(), 60);
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<Arn>${base().arn}</Arn>`);
  });

  it("answers a presigned request from a role session as that session", async () => {
    const res = await presignedGetCallerIdentity(await assume(), Date.now(), 60);
    expect(res.status).toBe(200);
    expect(res.body).toContain(":assumed-role/auth-role/auth</Arn>");
  });

  it("refuses a presigned request past X-Amz-Expires with RequestExpired", async () => {
    const res = await presignedGetCallerIdentity({ ...base() }, Date.now() - 120_000, 60);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>RequestExpired</Code>");
  });

  it("refuses a presigned request signed with the wrong secret", async () => {
    const wrong = { accessKeyId: base().accessKeyId, secretAccessKey: "w".repeat(40) };
    const res = await presignedGetCallerIdentity(wrong, Date.now(), 60);
    expect(res.status).toBe(403);
    expect(res.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});
