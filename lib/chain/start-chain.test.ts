import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeTarget, getTarget } from "@/lib/aws";
import { startProvision, startTeardown } from "@/lib/provision";
import {
  type SandboxTarget,
  startQuietSandboxTarget,
} from "@/lib/provision/sandbox-kit.test-support";
import { getRunRegistry } from "@/lib/runs/registry";
import type { RunSummary } from "@/lib/runs/types";
import { startChain } from "./start-chain";

const ENV_KEYS = [
  "ROLECHAIN_TARGET",
  "ROLECHAIN_DATA_DIR",
  "AWS_ENDPOINT_URL",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_REGION",
  "AWS_PROFILE",
] as const;

/** Polls the registry (bounded) until the run leaves `running`. */
async function finished(run: RunSummary, timeoutMs = 60_000): Promise<RunSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = getRunRegistry().get(run.id);
    if (now && now.status !== "running") return now;
    if (Date.now() > deadline) throw new Error(`run ${run.id} still running`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The app's path end to end: the `endpoint` target (the SDK's default chain reading the
 * environment's keys) aimed at a sandbox we started, the process's run registry on a temp dir.
 */
describe("startProvision, startChain and startTeardown through the run registry", () => {
  let env: SandboxTarget;
  const saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  let dataDir = "";

  beforeAll(async () => {
    env = await startQuietSandboxTarget();
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rolechain-start-"));
    Object.assign(process.env, {
      ROLECHAIN_TARGET: "endpoint",
      ROLECHAIN_DATA_DIR: dataDir,
      AWS_ENDPOINT_URL: env.sandbox.url,
      AWS_ACCESS_KEY_ID: env.sandbox.baseUser.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env.sandbox.baseUser.secretAccessKey,
      AWS_REGION: "eu-west-1",
    });
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await env?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("connects once to the endpoint target and describes it without secrets", async () => {
    const first = getTarget();
    expect(getTarget()).toBe(first);
    const description = await describeTarget();

    expect(description).toEqual({
      kind: "endpoint",
      accountId: env.target.accountId,
      callerArn: env.target.callerArn,
      endpoint: env.sandbox.url,
      region: "eu-west-1",
    });
    expect(JSON.stringify(description)).not.toContain(env.sandbox.baseUser.secretAccessKey);
  });

  it("refuses bad form input naming the field, creating no run", async () => {
    const before = getRunRegistry().list().length;
    expect(await startProvision({ count: "0" })).toMatchObject({
      ok: false,
      error: { field: "Number of roles" },
    });
    expect(await startChain({ mode: "linear", hops: "1000001" })).toMatchObject({
      ok: false,
      error: { field: "Hops" },
    });
    expect(getRunRegistry().list().length).toBe(before);
  });

  it("provisions, chains and tears down as background runs", async () => {
    const provision = await startProvision({
      count: "3",
      path: "/rolechain/",
      prefix: "rolechain-",
    });
    if (!provision.ok) throw new Error(provision.error.message);
    expect(provision.value).toMatchObject({ kind: "provision", status: "running" });
    expect(await finished(provision.value)).toMatchObject({ status: "completed" });

    const chain = await startChain({ mode: "linear", hops: "2", verify: true });
    if (!chain.ok) throw new Error(chain.error.message);
    expect(chain.value.params).toMatchObject({ mode: "linear", hops: 2, verify: true });
    expect(await finished(chain.value)).toMatchObject({ status: "completed", hops: 3, errors: 0 });
    const hops = getRunRegistry().hops(chain.value.id, -1, 10);
    expect(hops.map((hop) => [hop.hop, hop.region])).toEqual([
      [0, "eu-west-1"],
      [1, "eu-west-1"],
      [2, "eu-west-1"],
    ]);

    const teardown = await startTeardown({ path: "/rolechain/", prefix: "rolechain-" });
    if (!teardown.ok) throw new Error(teardown.error.message);
    expect(await finished(teardown.value)).toMatchObject({ status: "completed" });
  });
});
