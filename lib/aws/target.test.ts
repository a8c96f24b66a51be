import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "@/lib/sandbox";
import { connectTarget } from "./target";

process.env.AWS_EC2_METADATA_DISABLED = "true";

const sandboxes: Sandbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A sandbox that throttles its first `throttled` requests, then answers every one. */
async function throttlingSandbox(throttled: number): Promise<Sandbox> {
  let calls = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rolechain-target-"));
  dirs.push(dataDir);
  const sandbox = await startSandbox({
    dataDir,
    knobs: { throttleRate: 0.5 },
    random: () => (calls++ < throttled ? 0 : 0.99),
    log: () => {},
  });
  sandboxes.push(sandbox);
  return sandbox;
}

function connect(sandbox: Sandbox) {
  const { accessKeyId, secretAccessKey } = sandbox.baseUser;
  return connectTarget(
    {
      kind: "endpoint",
      region: "us-east-1",
      endpoints: { sts: sandbox.url, iam: sandbox.url },
      baseCredentials: async () => ({ accessKeyId, secretAccessKey }),
      credentialsSource: "test",
    },
    () => {},
    { sleep: async () => {} },
  );
}

describe("connectTarget", () => {
  it("retries a throttled GetCallerIdentity at start-up", async () => {
    const target = await connect(await throttlingSandbox(2));
    expect(target.callerArn).toMatch(/^arn:aws:iam::\d{12}:user\//);
  });

  it("gives up with the service's own error code once retries are spent", async () => {
    await expect(connect(await throttlingSandbox(1_000))).rejects.toMatchObject({
      name: "Throttling",
    });
  });
});
