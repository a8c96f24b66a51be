import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type AppServer, startAppServer, tempDataDir } from "./support/app-server";
import { exportCsv, provisionRoles, runStatus, startChain } from "./support/dashboard";
import { endpointEnv } from "./support/endpoint-env";
import { type SandboxProcess, startSandboxProcess } from "./support/sandbox-process";

let sandbox: SandboxProcess | undefined;
let app: AppServer | undefined;
let dataDir = "";

test.afterEach(async () => {
  await app?.stop();
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test("with 10% of requests throttled a chain still completes, retries shown and counted", async ({
  page,
}) => {
  dataDir = await tempDataDir("throttled");
  sandbox = await startSandboxProcess(path.join(dataDir, "sandbox"), ["--throttle-rate", "0.1"]);
  app = await startAppServer({
    dataDir: path.join(dataDir, "app"),
    env: endpointEnv(sandbox.exports, dataDir),
  });

  await page.goto(app.url);
  await provisionRoles(page, 2);
  await startChain(page, { mode: "Ping-pong", hops: 300 });
  await expect(page.getByRole("log", { name: "Retry notices" })).toContainText(
    /Retrying hop \d+ \(attempt \d+\).*Throttling/,
  );
  await expect.poll(() => runStatus(page), { timeout: 120_000 }).toBe("completed");

  const records = await exportCsv(page);
  expect(records).toHaveLength(301);
  expect(records.every((record) => record.status === "ok")).toBe(true);
  expect(records.some((record) => Number(record.attempts) > 1)).toBe(true);
});
