import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { formatLogLine, parseCliArgs, toSandboxOptions } from "./cli-args";
import { makeTempDir } from "./test-support";

const ROOT = path.resolve(__dirname, "../..");
const children: ChildProcess[] = [];

/** Spawns the CLI as `npm run sandbox` does, with a clean environment plus `env`. */
function spawnCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "lib/sandbox/cli.ts", ...args],
    {
      cwd: ROOT,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "",
        AWS_EC2_METADATA_DISABLED: "true",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out, exited };
}

/** Polls until `check` holds, up to `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the CLI");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What `eval "$(npm run -s sandbox)"` would put in the environment. */
function evalExports(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.trimEnd().split("\n")) {
    const match = /^export ([A-Z_]+)=(\S+)$/.exec(line);
    if (!match) throw new Error(`not an export line: ${line}`);
    env[match[1] as string] = match[2] as string;
  }
  return env;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("npm run sandbox", () => {
  it("prints only export lines, serves them, logs on stderr, exits 0 on SIGTERM", async () => {
    const dataDir = makeTempDir();
    const { child, out, exited } = spawnCli(["--port", "0", "--data", dataDir], {
      ROLECHAIN_SANDBOX_ACCOUNT: "210987654321",
    });
    await until(() => out.stdout.split("\n").length > 4);
    const env = evalExports(out.stdout);
    expect(Object.keys(env)).toEqual([
      "AWS_ENDPOINT_URL",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_REGION",
    ]);
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.AWS_REGION).toBe("us-east-1");
    const sts = new STSClient({
      endpoint: env.AWS_ENDPOINT_URL,
      region: env.AWS_REGION,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
      },
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe("arn:aws:iam::210987654321:user/admin");
    await until(() => out.stderr.includes("action=GetCallerIdentity"));
    expect(out.stderr).toMatch(/event=listening url=http:\/\/127\.0\.0\.1:\d+/);
    expect(out.stderr).not.toContain(env.AWS_SECRET_ACCESS_KEY);
    expect(fs.existsSync(path.join(dataDir, "sandbox.db"))).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out.stdout.trimEnd().split("\n")).toHaveLength(4);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("stops by itself when the process that started it goes away", async () => {
    const dataDir = makeTempDir();
    const out = path.join(dataDir, "exports");
    // The shell starts the sandbox in the background, waits for its export lines, prints its
    // pid and exits: the sandbox is orphaned, as when `npm run` is killed.
    const script =
      `"${process.execPath}" --conditions=react-server --import tsx lib/sandbox/cli.ts ` +
      `--port 0 --data "${dataDir}" > "${out}" 2>/dev/null & ` +
      `until [ -s "${out}" ]; do sleep 0.05; done; echo $!`;
    const shell = spawn("bash", ["-c", script], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] });
    let printed = "";
    shell.stdout.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
    });
    await new Promise((resolve) => shell.on("exit", resolve));
    const pid = Number(printed.trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      await until(() => !alive(), 15_000);
    } finally {
      if (alive()) process.kill(pid, "SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    [["--port", "http"], /--port: must be a whole number from 0 to 65535, got 'http'/],
    [["--throttle-rate", "2"], /--throttle-rate: must be a number from 0 to 1/],
    [["--verbose"], /--verbose: unknown flag/],
    [["--data"], /--data: needs a value/],
  ])("exits 2 on %j, naming the flag", async (args, message) => {
    const { out, exited } = spawnCli(args);
    expect(await exited).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe("");
  });
});

describe("CLI flags", () => {
  it("reads flags over their ROLECHAIN_SANDBOX_* twins into sandbox options", () => {
    const options = toSandboxOptions(
      parseCliArgs(["--latency-ms=5", "--fault-rate", "0.25", "--clock-offset-ms", "-1000"], {
        ROLECHAIN_SANDBOX_LATENCY_MS: "9",
        ROLECHAIN_SANDBOX_THROTTLE_RATE: "0.5",
        ROLECHAIN_SANDBOX_PROPAGATION_DELAY_MS: "2000",
        ROLECHAIN_SANDBOX_PORT: "4599",
      }),
    );
    expect(options).toEqual({
      dataDir: ".rolechain/sandbox",
      port: 4599,
      knobs: {
        latencyMs: 5,
        throttleRate: 0.5,
        propagationDelayMs: 2000,
        clockOffsetMs: -1000,
        faultRate: 0.25,
      },
    });
  });

  it("names the environment variable when its value is bad", () => {
    expect(() => parseCliArgs([], { ROLECHAIN_SANDBOX_FAULT_RATE: "lots" })).toThrow(
      /ROLECHAIN_SANDBOX_FAULT_RATE: must be a number from 0 to 1/,
    );
  });

  it("writes log lines as key=value, quoting values with spaces", () => {
    expect(formatLogLine({ event: "request", status: 200, message: "a b", skip: undefined })).toBe(
      'event=request status=200 message="a b"',
    );
  });
});
