/**
 * Chain engine throughput: end-to-end hops per second through engine + run store + event
 * stream (the runs registry, with a subscriber counting the events it delivers), next to a bare
 * loop making the same SDK calls (AssumeRole, plus GetCallerIdentity when verifying) against the
 * same sandbox, with and without verification. Then one long run (default 200,000 hops,
 * `--hops N` for shorter) with the process's memory before and after. The sandbox runs in this
 * process too, so RSS covers it. Loopback only; nothing leaves the machine.
 *
 * Run: node --conditions=react-server --import tsx bench/engine.bench.ts \
 *   [--hops N] [--ratio-hops M]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { createStsClient, startSandboxTarget, type Target } from "@/lib/aws";
import { createSwitchableCredentials } from "@/lib/aws/switchable-credentials";
import { prepareChain, validateChainRequest } from "@/lib/chain";
import { createMemorySink } from "@/lib/chain/memory-sink";
import { listManagedRoles, provisionRoles } from "@/lib/provision";
import { createRunRegistry, type RunRegistry } from "@/lib/runs/registry";

process.env.AWS_EC2_METADATA_DISABLED = "true";

function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number`);
  return value;
}

const LONG_HOPS = numberArg("--hops", 200_000);
const RATIO_HOPS = numberArg("--ratio-hops", Math.min(LONG_HOPS, 3_000));
/** Bare and engine alternate in rounds, so a noisy neighbour hurts both alike. */
const ROUNDS = 6;
const MB = 1024 * 1024;

// A full collection before each memory reading, so the figures show what is kept, not garbage
// waiting for the collector. The flag must be set before `gc` is looked up in a new context.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const rate = (hops: number, ms: number) => Math.round(hops / (ms / 1000));
const mb = (bytes: number) => (bytes / MB).toFixed(1);

/** The same calls the engine makes, in the tightest loop we can write with the same SDK. */
async function bareLoop(target: Target, roleArns: [string, string], hops: number, verify: boolean) {
  const credentials = createSwitchableCredentials();
  const sts = createStsClient(target, credentials.provider);
  let current: AwsCredentialIdentity = await target.baseCredentials();
  const started = performance.now();
  for (let hop = 0; hop < hops; hop++) {
    credentials.set(current);
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArns[hop % 2], RoleSessionName: `bare-${hop}` }),
    );
    const next = {
      accessKeyId: out.Credentials?.AccessKeyId ?? "",
      secretAccessKey: out.Credentials?.SecretAccessKey ?? "",
      sessionToken: out.Credentials?.SessionToken ?? "",
    };
    if (verify) {
      credentials.set(next);
      await sts.send(new GetCallerIdentityCommand({}));
    }
    current = next;
  }
  const ms = performance.now() - started;
  sts.destroy();
  return ms;
}

/** One ping-pong run through the registry; done when a subscriber sees its final status. */
async function engineRun(target: Target, registry: RunRegistry, hops: number, verify: boolean) {
  const request = validateChainRequest({ mode: "pingpong", hops: hops - 1, verify });
  if (!request.ok) throw new Error(request.error.message);
  const prepared = prepareChain(request.value);
  if (!prepared.ok) throw new Error(prepared.error.message);
  const started = performance.now();
  const summary = registry.start(
    { kind: "chain", target: target.kind, params: prepared.value.params },
    (sink) => prepared.value.run(target, sink),
  );
  let seen = 0;
  const status = await new Promise<string>((resolve) => {
    const unsubscribe = registry.subscribe(summary.id, 0, (event) => {
      if (event.type === "hop") seen++;
      if (event.type === "status" && event.data.status !== "running") {
        unsubscribe();
        resolve(event.data.status);
      }
    });
  });
  const ms = performance.now() - started;
  if (status !== "completed" || seen !== hops) {
    throw new Error(`engine run ended ${status} after ${seen} of ${hops} hops`);
  }
  return ms;
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rolechain-bench-engine-"));
  const quiet = () => {};
  const { target, sandbox } = await startSandboxTarget(
    { dataDir: path.join(dataDir, "sandbox"), log: quiet },
    quiet,
  );
  const registry = createRunRegistry({ dataDir: path.join(dataDir, "runs") });
  try {
    const roles = { count: 2, path: "/rolechain/", prefix: "rolechain-", maxSessionDuration: 3600 };
    await provisionRoles(target, roles, createMemorySink());
    const [a, b] = await listManagedRoles(target, roles);
    if (!a || !b) throw new Error("provisioning the two ping-pong roles failed");
    const roleArns: [string, string] = [a.roleArn, b.roleArn];

    // Warm-up: JIT, sockets, SQLite pages; not measured.
    await bareLoop(target, roleArns, 200, true);
    await engineRun(target, registry, 200, true);

    console.log(`ratio hops per mode: ${RATIO_HOPS}`);
    console.log(`ratio rounds: ${ROUNDS}`);
    console.log("ratio minimum: 0.80");
    for (const verify of [false, true]) {
      let bareMs = 0;
      let engineMs = 0;
      const perRound = Math.ceil(RATIO_HOPS / ROUNDS);
      for (let round = 0; round < ROUNDS; round++) {
        bareMs += await bareLoop(target, roleArns, perRound, verify);
        engineMs += await engineRun(target, registry, perRound, verify);
      }
      const label = verify ? "with verification" : "without verification";
      const bare = rate(perRound * ROUNDS, bareMs);
      const engine = rate(perRound * ROUNDS, engineMs);
      console.log(`bare loop hops/s ${label}: ${bare}`);
      console.log(`engine end-to-end hops/s ${label}: ${engine}`);
      console.log(`ratio ${label}: ${(engine / bare).toFixed(2)}`);
    }

    collectGarbage();
    const before = process.memoryUsage();
    let peak = before.rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 500);
    const longMs = await engineRun(target, registry, LONG_HOPS, false);
    clearInterval(sampler);
    collectGarbage();
    const after = process.memoryUsage();
    console.log(`long run hops (ping-pong, no verification): ${LONG_HOPS}`);
    console.log(`long run hops/s: ${rate(LONG_HOPS, longMs)}`);
    console.log(`rss before MB: ${mb(before.rss)}`);
    console.log(`rss after MB: ${mb(after.rss)}`);
    console.log(`rss peak MB: ${mb(peak)}`);
    console.log(`heap used before MB: ${mb(before.heapUsed)}`);
    console.log(`heap used after MB: ${mb(after.heapUsed)}`);
    console.log(`sandbox requests: ${sandbox.stats().requests}`);
  } finally {
    await sandbox.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
