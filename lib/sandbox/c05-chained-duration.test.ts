/**
 * Case C05 (../shared/cases/c05-chained-duration.md): asking for more than an hour on a chained
 * hop. Driven through the real SDK against the sandbox, as a user would against AWS.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./index";

process.env.AWS_EC2_METADATA_DISABLED = "true";

const CHAINING_TEXT =
  "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role " +
  "chaining.";

let dataDir: string;
let sandbox: Sandbox;
let userSts: STSClient;
const arns: Record<"A" | "B" | "Short", string> = { A: "", B: "", Short: "" };

function sts(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return new STSClient({ endpoint: sandbox.url, region: "us-east-1", credentials, maxAttempts: 1 });
}

async function codeAndMessage(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; Code?: string; message: string };
    return { code: e.Code ?? e.name, message: e.message };
  }
  throw new Error("expected AssumeRole to fail");
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "rolechain-c05-"));
  sandbox = await startSandbox({ dataDir });
  const base = {
    accessKeyId: sandbox.baseUser.accessKeyId,
    secretAccessKey: sandbox.baseUser.secretAccessKey,
  };
  const iam = new IAMClient({ endpoint: sandbox.url, region: "us-east-1", credentials: base });
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${sandbox.accountId}:root` },
        Action: "sts:AssumeRole",
      },
    ],
  });
  const identity = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }],
  });
  for (const [key, name, max] of [
    ["A", "c05-a", 43200],
    ["B", "c05-b", 43200],
    ["Short", "c05-short", 3600],
  ] as const) {
    const out = await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: trust,
        MaxSessionDuration: max,
      }),
    );
    arns[key] = out.Role?.Arn ?? "";
    await iam.send(
      new PutRolePolicyCommand({ RoleName: name, PolicyName: "chain", PolicyDocument: identity }),
    );
  }
  userSts = sts(base);
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("C05: asking for more than an hour on a chained hop", () => {
  it("C05: the base user may assume A for 7200 s (not chained)", async () => {
    const out = await userSts.send(
      new AssumeRoleCommand({ RoleArn: arns.A, RoleSessionName: "c05-a", DurationSeconds: 7200 }),
    );
    const expires = out.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires - Date.now()).toBeGreaterThan(7100_000);
  });

  it("C05: A's session asking B for 7200 s gets AWS's role-chaining ValidationError", async () => {
    const first = await userSts.send(
      new AssumeRoleCommand({ RoleArn: arns.A, RoleSessionName: "c05-a", DurationSeconds: 7200 }),
    );
    const session = sts({
      accessKeyId: first.Credentials?.AccessKeyId ?? "",
      secretAccessKey: first.Credentials?.SecretAccessKey ?? "",
      sessionToken: first.Credentials?.SessionToken,
    });
    const hop = (seconds: number) =>
      session.send(
        new AssumeRoleCommand({
          RoleArn: arns.B,
          RoleSessionName: "c05-b",
          DurationSeconds: seconds,
        }),
      );
    expect(await codeAndMessage(hop(7200))).toEqual({
      code: "ValidationError",
      message: CHAINING_TEXT,
    });
    // Never a silent clamp: the same hop at 3600 s is what succeeds, and it says so.
    const retried = await hop(3600);
    const expires = retried.Credentials?.Expiration?.getTime() ?? 0;
    expect(expires - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it.each([
    ["from the base user", "user"],
    ["on a chained hop", "session"],
  ])("C05: DurationSeconds 899 is a ValidationError %s", async (_name, who) => {
    let client = userSts;
    if (who === "session") {
      const first = await userSts.send(
        new AssumeRoleCommand({ RoleArn: arns.A, RoleSessionName: "c05-a" }),
      );
      client = sts({
        accessKeyId: first.Credentials?.AccessKeyId ?? "",
        secretAccessKey: first.Credentials?.SecretAccessKey ?? "",
        sessionToken: first.Credentials?.SessionToken,
      });
    }
    const error = await codeAndMessage(
      client.send(
        new AssumeRoleCommand({ RoleArn: arns.B, RoleSessionName: "c05", DurationSeconds: 899 }),
      ),
    );
    expect(error.code).toBe("ValidationError");
    expect(error.message).toBe(
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy " +
        "constraint: Member must have value greater than or equal to 900",
    );
  });

  it("C05: 7200 s on a role whose MaxSessionDuration is 3600 is a ValidationError", async () => {
    const error = await codeAndMessage(
      userSts.send(
        new AssumeRoleCommand({
          RoleArn: arns.Short,
          RoleSessionName: "c05-short",
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(error).toEqual({
      code: "ValidationError",
      message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    });
  });
});
