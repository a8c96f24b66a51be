import { expect, test } from "@playwright/test";
import { appUrl } from "./support/app-server";
import { exportCsv, graphCounts, provisionRoles, startChain } from "./support/dashboard";

test("Stop ends a live run after the hop in flight; its hops stay exportable", async ({ page }) => {
  await page.goto(appUrl("/"));
  await provisionRoles(page, 2);
  await startChain(page, { mode: "Ping-pong", hops: 100_000 });
  await expect.poll(async () => (await graphCounts(page)).hops).toBeGreaterThan(5);

  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByText("Status: stopped")).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Start chain" })).toBeEnabled();

  const { hops } = await graphCounts(page);
  expect(hops).toBeLessThan(100_001);
  const records = await exportCsv(page);
  expect(records).toHaveLength(hops);
});
