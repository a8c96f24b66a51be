import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { type AppServer, startAppServer, tempDataDir } from "./support/app-server";
import {
  expectHopsInOrder,
  exportCsv,
  graphCounts,
  provisionRoles,
  runStatus,
} from "./support/dashboard";
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

/**
 * How a person gets base keys without the dashboard ever showing a secret: they run the sandbox
 * on its own (`npm run sandbox`), which prints `export AWS_ACCESS_KEY_ID=...` lines, point the
 * dashboard at it as an endpoint, and paste the same keys as their base profile.
 */
test("resolves rolechain-101 from a generated snippet: 101 hops on the graph, CSV in order", async ({
  page,
}) => {
  dataDir = await tempDataDir("profiles");
  sandbox = await startSandboxProcess(path.join(dataDir, "sandbox"));
  const keys = sandbox.exports;
  app = await startAppServer({
    dataDir: path.join(dataDir, "app"),
    env: endpointEnv(keys, dataDir),
  });

  await page.goto(app.url);
  await expect(page.getByRole("banner")).toContainText(keys.AWS_ENDPOINT_URL ?? "");
  await provisionRoles(page, 101);

  await page.getByLabel("Chain mode").selectOption({ label: "Profiles" });
  await page.getByRole("button", { name: "Generate config snippet" }).click();
  const snippet = page.getByLabel("Generated config snippet");
  await expect(snippet).toHaveValue(/\[profile rolechain-101\]/);
  await page.getByRole("button", { name: "Add snippet to AWS config" }).click();
  await page
    .getByLabel("AWS credentials")
    .fill(
      `[base]\naws_access_key_id = ${keys.AWS_ACCESS_KEY_ID}\n` +
        `aws_secret_access_key = ${keys.AWS_SECRET_ACCESS_KEY}\n`,
    );
  await expect(page.getByRole("region", { name: "Profile graph" })).toContainText("102 profiles");
  await page.getByLabel("Profile", { exact: true }).fill("rolechain-101");
  await page.getByRole("button", { name: "Start chain" }).click();

  await expect.poll(() => runStatus(page), { timeout: 120_000 }).toBe("completed");
  expect(await graphCounts(page)).toEqual({ identities: 102, transitions: 101, hops: 101 });

  const records = await exportCsv(page);
  expectHopsInOrder(records, 101);
  records.forEach((record, index) => {
    expect(record.profile).toBe(`rolechain-${index + 1}`);
    expect(record.status).toBe("ok");
  });

  const secret = keys.AWS_SECRET_ACCESS_KEY ?? "";
  expect(secret.length).toBeGreaterThan(10);
  expect(await page.content()).not.toContain(secret);
  expect(JSON.stringify(records)).not.toContain(secret);
});
