import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./app-server";

const READY_TIMEOUT_MS = 60_000;

/** `npm run sandbox` as a user runs it, and the `export` lines it printed. */
export interface SandboxProcess {
  exports: Record<string, string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

const EXPECTED = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"];

/**
 * Starts the sandbox alone (the command behind `npm run sandbox`, without npm in between so the
 * test owns the process it stops) and reads the shell lines it prints on stdout.
 */
export async function startSandboxProcess(
  dataDir: string,
  /** More CLI flags, e.g. `["--throttle-rate", "0.1"]`. */
  flags: string[] = [],
): Promise<SandboxProcess> {
  const child = spawn(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join("lib", "sandbox", "cli.ts"),
      "--port",
      "0",
      "--data",
      dataDir,
      ...flags,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-10_000);
  });
  const exports = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sandbox printed no exports in time:\n${stdout}\n${stderr}`)),
      READY_TIMEOUT_MS,
    );
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${stderr}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const found = parseExports(stdout);
      if (EXPECTED.every((name) => found[name])) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  return {
    exports,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** `export NAME=value` lines, with shell quotes removed. */
export function parseExports(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    found[match[1]] = (match[2] ?? "").replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");
  }
  return found;
}
