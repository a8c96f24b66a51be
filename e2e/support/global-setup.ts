import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT, startAppServer } from "./app-server";

const SOURCES = ["app", "components", "lib", "instrumentation.ts", "next.config.js"];

/**
 * Builds the production app when `.next` is missing or older than the sources, then starts the
 * shared server (fresh temp data dir, free loopback port). Specs read its URL from
 * `ROLECHAIN_E2E_URL`; workers inherit the variable.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  if (isBuildStale()) {
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "build"],
      {
        cwd: REPO_ROOT,
        stdio: "inherit",
      },
    );
  }
  const server = await startAppServer();
  process.env.ROLECHAIN_E2E_URL = server.url;
  process.env.ROLECHAIN_E2E_DATA_DIR = server.dataDir;
  return async () => {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  };
}

function isBuildStale(): boolean {
  const buildId = path.join(REPO_ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(REPO_ROOT, source)) > built);
}

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}
