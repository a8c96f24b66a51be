import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
const NEXT_BIN = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
const READY_TIMEOUT_MS = 90_000;
const POLL_MS = 200;

/** A `next start` we spawned: its URL, data dir, and how to end it. */
export interface AppServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything it wrote, for failure messages. */
  output(): string;
  /** SIGTERM by default; `SIGKILL` is the crash the durability spec needs. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartAppServerOptions {
  dataDir?: string;
  port?: number;
  /** Added to (and overriding) the safe defaults below. */
  env?: Record<string, string>;
}

/** A free TCP port on loopback, as the OS hands one out. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error("no port");
  return port;
}

/**
 * `count` distinct free loopback ports: all are held open together before any is released, so
 * the OS cannot hand the same one out twice (it readily reuses a port just closed).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            if (address && typeof address === "object") resolve(address.port);
            else reject(new Error("no port"));
          });
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function tempDataDir(label: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `rolechain-e2e-${label}-`));
}

/**
 * Spawns `next start` of the production build on loopback and waits (bounded) until the API
 * answers. The environment is the test's, with the metadata address disabled and the sandbox
 * target unless `env` says otherwise.
 */
export async function startAppServer(options: StartAppServerOptions = {}): Promise<AppServer> {
  const dataDir = options.dataDir ?? (await tempDataDir("app"));
  // The embedded sandbox gets a port of its own: with port 0 it starts (in Next's
  // instrumentation) before Next listens, and could be handed the port just picked for Next.
  const [nextPort, sandboxPort] = await freePorts(2);
  const port = options.port ?? (nextPort as number);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ROLECHAIN_TARGET: "sandbox",
        ROLECHAIN_DATA_DIR: dataDir,
        ROLECHAIN_SANDBOX_PORT: String(sandboxPort),
        AWS_EC2_METADATA_DISABLED: "true",
        NEXT_TELEMETRY_DISABLED: "1",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const server: AppServer = {
    url,
    port,
    dataDir,
    child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
  await waitUntilReady(server);
  return server;
}

async function waitUntilReady(server: AppServer): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`next start exited with ${server.child.exitCode}:\n${server.output()}`);
    }
    try {
      const response = await fetch(`${server.url}/api/runs`);
      if (response.ok) return;
    } catch {
      // Not listening yet: poll again below.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await server.stop("SIGKILL");
  throw new Error(`next start not ready after ${READY_TIMEOUT_MS} ms:\n${server.output()}`);
}

/** The shared server's URL, set by the global setup. */
export function appUrl(pathname = "/"): string {
  const base = process.env.ROLECHAIN_E2E_URL;
  if (!base)
    throw new Error("ROLECHAIN_E2E_URL is not set: run the specs through playwright.config.ts");
  return new URL(pathname, base).toString();
}
