import { rm } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { type AppServer, startAppServer, tempDataDir } from "./support/app-server";
import { provisionRoles, runStatus, startChain } from "./support/dashboard";

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
});
