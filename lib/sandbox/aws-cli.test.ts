/**
 * Debian's aws CLI against the sandbox, as a user following the classic shell loop would:
 * create roles from a trust policy file and an inline policy file, then chain five hops by
 * exporting each hop's credentials as environment variables.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, startTestSandbox, type TestSandbox } from "./test-support";

const AWS = "/usr/bin/aws";
const run = promisify(execFile);

const CHAIN_SCRIPT = `
set -euo pipefail
aws() { "${AWS}" --endpoint-url "$ENDPOINT" "$@"; }
for i in 1 2 3 4 5; do
  aws iam create-role --role-name "hop-$i" --path /cli/ \\
    --assume-role-policy-document file://trust.json > /dev/null
  aws iam put-role-policy --role-name "hop-$i" --policy-name chain \\
    --policy-document file://policy.json
done
for i in 1 2 3 4 5; do
  read -r key secret token < <(aws sts assume-role \\
    --role-arn "arn:aws:iam::$ACCOUNT:role/cli/hop-$i" --role-session-name "hop-$i" \\
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  export AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" AWS_SESSION_TOKEN="$token"
  aws sts get-caller-identity --query Arn --output text
done
`;

describe.skipIf(!fs.existsSync(AWS))("aws CLI (/usr/bin/aws)", () => {
  let t: TestSandbox;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    t = await startTestSandbox();
    work = makeTempDir("rolechain-aws-cli-");
    fs.mkdirSync(path.join(work, "home"));
    fs.writeFileSync(
      path.join(work, "trust.json"),
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${t.sandbox.accountId}:root` },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(work, "policy.json"),
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }],
      }),
    );
    // Nothing from the machine's own AWS setup may leak in: a fresh HOME, no config files,
    // no instance metadata, keys only from the environment.
    env = {
      NODE_ENV: "test",
      PATH: "/usr/bin:/bin",
      HOME: path.join(work, "home"),
      AWS_CONFIG_FILE: path.join(work, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_PAGER: "",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: t.sandbox.baseUser.accessKeyId,
      AWS_SECRET_ACCESS_KEY: t.sandbox.baseUser.secretAccessKey,
      ENDPOINT: t.sandbox.url,
      ACCOUNT: t.sandbox.accountId,
    };
  });

  afterAll(async () => {
    await t.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("chains five hops from the shell; get-caller-identity names each hop's role", async () => {
    const before = t.sandbox.stats().requests;
    const { stdout } = await run("bash", ["-c", CHAIN_SCRIPT], { cwd: work, env });
    const account = t.sandbox.accountId;
    expect(stdout.trim().split("\n")).toEqual(
      [1, 2, 3, 4, 5].map((i) => `arn:aws:sts::${account}:assumed-role/hop-${i}/hop-${i}`),
    );
    // 5 create-role + 5 put-role-policy + 5 assume-role + 5 get-caller-identity, all here.
    expect(t.sandbox.stats().requests - before).toBe(20);
  }, 180_000);

  it("shows AWS's error for a 65-character role name and exits non-zero", async () => {
    const failure = await run(
      AWS,
      [
        "--endpoint-url",
        t.sandbox.url,
        "iam",
        "create-role",
        "--role-name",
        "r".repeat(65),
        "--assume-role-policy-document",
        "file://trust.json",
      ],
      { cwd: work, env },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 254 });
    expect((failure as { stderr: string }).stderr).toMatch(
      /\(ValidationError\) when calling the CreateRole operation: 1 validation error detected/,
    );
  }, 60_000);
});
