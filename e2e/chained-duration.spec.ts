import { rm } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { type AppServer, startAppServer, tempDataDir } from "./support/app-server";
import { exportCsv, provisionRoles, runStatus, startChain } from "./support/dashboard";

let app: AppServer | undefined;
let dataDir = "";

test.afterEach(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function openWithLongRoles(page: import("@playwright/test").Page): Promise<void> {
  // A server of its own: roles made by other specs keep their 3600 s maximum.
  dataDir = await tempDataDir("c05");
  app = await startAppServer({ dataDir });
  await page.goto(app.url);
  await page.getByLabel("Maximum session duration", { exact: true }).fill("43200");
  await provisionRoles(page, 3);
}

async function askForTwoHours(page: import("@playwright/test").Page): Promise<void> {
  await page.getByText("Options", { exact: true }).click();
  await page.getByLabel("DurationSeconds", { exact: true }).fill("7200");
}

test("C05: a chained hop asking for two hours fails on its hop, explained in plain words", async ({
  page,
}) => {
  await openWithLongRoles(page);
  await askForTwoHours(page);
  await startChain(page, { mode: "Linear", hops: 2 });

  await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe("failed");
  const hopLog = page.getByRole("table", { name: "Hop log" });
  const failed = hopLog.getByRole("row").filter({ hasText: "ValidationError" });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("1 hour session limit for roles assumed by role chaining");
  await expect(failed).toContainText(/one hour/i);

  const records = await exportCsv(page);
  expect(records.map((record) => [record.hop, record.status])).toEqual([
    ["0", "ok"],
    ["1", "error"],
  ]);
  expect(records[1]?.error_code).toBe("ValidationError");
});

test("C05: with the retry option the chained hop is retried at 3600 s, with a visible notice", async ({
  page,
}) => {
  await openWithLongRoles(page);
  await askForTwoHours(page);
  await page.getByLabel("Retry chained hops at 3600 s").check();
  await startChain(page, { mode: "Linear", hops: 2 });

  await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe("completed");
  await expect(page.getByRole("log", { name: "Retry notices" })).toContainText("3600");
  const records = await exportCsv(page);
  expect(records.map((record) => record.status)).toEqual(["ok", "ok", "ok"]);
  expect(Number(records[1]?.attempts)).toBeGreaterThan(1);
});
