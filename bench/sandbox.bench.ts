/**
 * Sandbox benchmark: AssumeRole throughput and memory under a long ping-pong.
 *
 *   node --conditions=react-server --import tsx bench/sandbox.bench.ts [--hops N] [--seconds S]
 *
 * Starts the sandbox CLI as a child process on a temporary data dir (exactly as a user would
 * run `npm run sandbox`), creates two roles that trust each other, then measures:
 * 1. GetCallerIdentity calls per second (the cheapest signed call: the baseline) and AssumeRole
 *    calls per second, each with one SDK client, sequential (in alternating slices, so load
 *    changes hit both alike), and their ratio;
 * 2. the sandbox process's resident memory (VmRSS) before and after N hops of ping-pong
 *    (default 200,000): the sessions are self-describing, so memory must not grow with them.
 *    PASS when the growth is within 50 MB; the exit status is 1 on FAIL.
 * Prints `name: value` lines. Only loopback is contacted.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  type Credentials,
  GetCallerIdentityCommand,
  STSClient,
} from "@aws-sdk/client-sts";

process.env.AWS_EC2_METADATA_DISABLED = "true";

const RSS_BUDGET_MB = 50;
const STARTUP_TIMEOUT_MS = 30_000;
const REGION = "us-east-1";

interface Options {
  hops: number;
  seconds: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { hops: 200_000, seconds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split("=", 2);
    const text = inline ?? argv[++i];
    const value = Number(text);
    if (flag !== "--hops" && flag !== "--seconds") {
      throw new Error(`unknown argument ${argv[i]}; use --hops N or --seconds S`);
    }
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${flag}: must be a whole number of at least 1, got '${text}'`);
    }
    if (flag === "--hops") options.hops = value;
    else options.seconds = value;
  }
  return options;
}

interface Started {
  child: ChildProcess;
  env: Record<string, string>;
}

/** Starts the sandbox CLI and waits (bounded) for its `export` lines on stdout. */
function startSandboxProcess(dataDir: string): Promise<Started> {
  const logFd = openSync(path.join(dataDir, "sandbox.log"), "a");
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "lib/sandbox/cli.ts"],
    {
      cwd: path.resolve(path.dirname(new URL(import.meta.url).pathname), ".."),
      // Logs go to a file: a pipe nobody drains would stall the sandbox mid-run.
      stdio: ["ignore", "pipe", logFd],
      env: {
        ...process.env,
        AWS_EC2_METADATA_DISABLED: "true",
        ROLECHAIN_SANDBOX_PORT: "0",
        ROLECHAIN_SANDBOX_DATA: dataDir,
      },
    },
  );
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    let buffered = "";
    const timer = setTimeout(() => {
      reject(new Error(`sandbox did not print its export lines within ${STARTUP_TIMEOUT_MS} ms`));
    }, STARTUP_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited early with ${code}; see ${dataDir}/sandbox.log`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      for (const match of buffered.matchAll(/^export (AWS_[A-Z_]+)=(.*)$/gm)) {
        env[match[1] as string] = (match[2] as string).replace(/^'(.*)'$/, "$1");
      }
      if (env.AWS_ENDPOINT_URL && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({ child, env });
      }
    });
  });
}

/** Resident set size of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

/**
 * Calls per second of two sequential call loops, measured in alternating 250 ms slices over
 * `seconds` each, so a change in machine load during the run hits both sides alike and the
 * ratio between them stays meaningful.
 */
async function interleavedRates(
  seconds: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number, number]> {
  for (let i = 0; i < 50; i++) {
    await a(); // warm the JIT and the connection
    await b();
  }
  const calls = [0, 0];
  const spent = [0, 0];
  const loops = [a, b];
  const slices = Math.max(1, Math.round((seconds * 1000) / 250));
  for (let slice = 0; slice < slices * 2; slice++) {
    const side = slice % 2;
    const call = loops[side] as () => Promise<unknown>;
    const started = performance.now();
    const until = started + 250;
    while (performance.now() < until) {
      await call();
      calls[side] = (calls[side] ?? 0) + 1;
    }
    spent[side] = (spent[side] ?? 0) + (performance.now() - started);
  }
  return [0, 1].map((side) => (calls[side] ?? 0) / ((spent[side] ?? 1) / 1000)) as [number, number];
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(path.join(tmpdir(), "rolechain-bench-"));
  const { child, env } = await startSandboxProcess(dataDir);
  try {
    const endpoint = env.AWS_ENDPOINT_URL as string;
    const base = {
      accessKeyId: env.AWS_ACCESS_KEY_ID as string,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string,
    };
    const iam = new IAMClient({ endpoint, region: REGION, credentials: base });
    const userSts = new STSClient({ endpoint, region: REGION, credentials: base, maxAttempts: 1 });
    const account = (await userSts.send(new GetCallerIdentityCommand({}))).Account as string;

    const roleArn = (name: string) => `arn:aws:iam::${account}:role/bench/${name}`;
    const names = ["bench-ping", "bench-pong"] as const;
    const trust = (...principals: string[]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: principals }, Action: "sts:AssumeRole" }],
      });
    const root = `arn:aws:iam::${account}:root`;
    for (const [name, other] of [names, [names[1], names[0]]] as const) {
      // IAM refuses a trust policy naming a role that does not exist yet: trust the account
      // first, then name the partner once both exist.
      await iam.send(
        new CreateRoleCommand({
          RoleName: name,
          Path: "/bench/",
          AssumeRolePolicyDocument: trust(root),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: "pingpong",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn(other) }],
          }),
        }),
      );
    }
    for (const [name, other] of [names, [names[1], names[0]]] as const) {
      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: name,
          PolicyDocument: trust(root, roleArn(other)),
        }),
      );
    }

    let n = 0;
    const [gciPerSecond, assumePerSecond] = await interleavedRates(
      options.seconds,
      () => userSts.send(new GetCallerIdentityCommand({})),
      () =>
        userSts.send(
          new AssumeRoleCommand({ RoleArn: roleArn(names[0]), RoleSessionName: `rate-${n++}` }),
        ),
    );
    console.log(`sandbox_get_caller_identity_per_s: ${fixed(gciPerSecond)}`);
    console.log(`sandbox_assume_role_per_s: ${fixed(assumePerSecond)}`);
    console.log(
      `sandbox_assume_role_vs_get_caller_identity: ${fixed(assumePerSecond / gciPerSecond, 3)}`,
    );

    const pid = child.pid as number;
    const before = rssMb(pid);
    // Each hop needs the previous hop's credentials, hence a client per hop; they share one
    // HTTP handler so the run reuses a keep-alive connection instead of opening 200,000.
    const requestHandler = userSts.config.requestHandler;
    let credentials: Credentials | undefined = (
      await userSts.send(
        new AssumeRoleCommand({ RoleArn: roleArn(names[0]), RoleSessionName: "hop-0" }),
      )
    ).Credentials;
    const started = performance.now();
    for (let hop = 1; hop <= options.hops; hop++) {
      const client = new STSClient({
        endpoint,
        region: REGION,
        maxAttempts: 1,
        requestHandler,
        credentials: {
          accessKeyId: credentials?.AccessKeyId as string,
          secretAccessKey: credentials?.SecretAccessKey as string,
          sessionToken: credentials?.SessionToken as string,
        },
      });
      const target = roleArn(names[hop % 2] as string);
      credentials = (
        await client.send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: `hop-${hop}` }))
      ).Credentials;
    }
    const seconds = (performance.now() - started) / 1000;
    const after = rssMb(pid);
    const growth = after - before;
    console.log(`sandbox_pingpong_hops: ${options.hops}`);
    console.log(`sandbox_pingpong_hops_per_s: ${fixed(options.hops / seconds)}`);
    console.log(`sandbox_rss_before_mb: ${fixed(before)}`);
    console.log(`sandbox_rss_after_mb: ${fixed(after)}`);
    console.log(`sandbox_rss_growth_mb: ${fixed(growth)}`);
    const pass = growth <= RSS_BUDGET_MB;
    console.log(`sandbox_rss_within_${RSS_BUDGET_MB}_mb: ${pass ? "PASS" : "FAIL"}`);
    return pass ? 0 : 1;
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`sandbox.bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
