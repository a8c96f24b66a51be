import { rm } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { type AppServer, startAppServer, tempDataDir } from "./support/app-server";
import { graphCounts, provisionRoles, runStatus, startChain } from "./support/dashboard";

let app: AppServer | undefined;
let dataDir = "";

test.afterEach(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test("a failed submission hides the previous run's progress; tear down asks first", async ({
  page,
}) => {
  // A server of its own: tearing down must not touch roles other specs provisioned.
  dataDir = await tempDataDir("ui");
  app = await startAppServer({ dataDir });
  await page.goto(app.url);
  await provisionRoles(page, 2);

  await page.getByLabel("Number of roles", { exact: true }).fill("0");
  await page.getByRole("button", { name: "Provision roles" }).click();
  await expect(page.getByLabel("Number of roles", { exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByRole("progressbar", { name: "Provision progress" })).toHaveCount(0);
  await page.getByLabel("Number of roles", { exact: true }).fill("2");

  await page.getByRole("button", { name: "Tear down roles" }).click();
  const confirm = page.getByRole("group", { name: "Confirm tear down" });
  await expect(confirm).toContainText(
    'Delete 2 managed roles under /rolechain/ with prefix "rolechain-"?',
  );
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId("managed-roles")).toHaveText("Managed roles on the target: 2");

  await page.getByRole("button", { name: "Tear down roles" }).click();
  await confirm.getByRole("button", { name: "Confirm tear down" }).click();
  await expect(page.getByText("2 of 2 roles deleted · completed")).toBeVisible();
  await expect(page.getByTestId("managed-roles")).toHaveText("Managed roles on the target: 0");
});

test("a finished run's figures stand still; the page opens on the server's summary", async ({
  page,
}) => {
  dataDir = await tempDataDir("ui");
  app = await startAppServer({ dataDir });
  const icon = await page.request.get(`${app.url}/icon.svg`);
  expect(icon.status()).toBe(200);

  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await page.goto(app.url);
  await provisionRoles(page, 3);
  await startChain(page, { mode: "Linear", hops: 2 });
  await expect.poll(() => runStatus(page), { timeout: 60_000 }).toBe("completed");

  const figures = page.getByRole("definition");
  const stats = page.getByLabel("Run figures");
  await expect(stats).toContainText("3 (hops 0–2)");
  await expect(stats).toContainText("Credentials expire");
  await expect(stats).not.toContainText("Credentials expire in");
  await expect(figures.filter({ hasText: /^at \d\d:\d\d:\d\d UTC$/ })).toHaveCount(1);

  // Without JavaScript the server's HTML already names the run's status and hop count.
  const html = await (await page.request.get(page.url())).text();
  expect(html).toMatch(/Status: (<!-- -->)?completed/);
  expect(html).toContain("3 (hops 0–2)");
  // Reloaded onto the server's summary and graph: hydrates cleanly, and no favicon 404.
  await page.reload();
  await expect(page.getByLabel("Run figures")).toContainText("3 (hops 0–2)");
  const runId = new URL(page.url()).searchParams.get("run") ?? "";
  const row = page.getByRole("table", { name: "Runs" }).getByRole("row").filter({ hasText: runId });
  await expect(row.getByRole("cell")).toHaveText([runId, "linear", "completed", "3", /:/]);
  expect(consoleErrors).toEqual([]);
});

test("during a run Start chain says why it is disabled, and a reload opens on the live run", async ({
  page,
}) => {
  dataDir = await tempDataDir("ui");
  app = await startAppServer({ dataDir });
  await page.goto(app.url);
  await provisionRoles(page, 2);
  await startChain(page, { mode: "Ping-pong", hops: 100_000, intervalMs: 5 });
  // Options open push `Start chain` down the page: the live view is brought into view.
  await expect(page.getByRole("heading", { name: /^Run \S+ \(pingpong/ })).toBeInViewport();
  await expect.poll(async () => (await graphCounts(page)).hops).toBeGreaterThan(5);

  const start = page.getByRole("button", { name: "Start chain" });
  await expect(start).toBeDisabled();
  await expect(start).toHaveAccessibleDescription(/A chain is running/);

  const html = await (await page.request.get(page.url())).text();
  expect(html).toMatch(/Status: (<!-- -->)?running/);
  await page.reload();
  await expect(page.getByText("Status: running")).toBeVisible();
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByText("Status: stopped")).toBeVisible();
  await expect(start).toBeEnabled();
});
