import { expect, test } from "@playwright/test";
import { appUrl } from "./support/app-server";
import {
  chainGraph,
  expectHopsInOrder,
  exportCsv,
  graphCounts,
  provisionRoles,
  startChain,
} from "./support/dashboard";

const HOPS = 2_000;

test("a 2,000-hop ping-pong survives a reload mid-run: 3 nodes, counts sum to 2,001, CSV whole", async ({
  page,
}) => {
  await page.goto(appUrl("/"));
  await provisionRoles(page, 2);

  await startChain(page, { mode: "Ping-pong", hops: HOPS, intervalMs: 3 });
  await expect(page.getByText("Status: running")).toBeVisible();
  await expect
    .poll(async () => (await graphCounts(page)).hops, { timeout: 60_000 })
    .toBeGreaterThan(50);

  await page.reload();
  // The page comes back on the same run, folds the server's graph and follows from its seq.
  await expect(page.getByText(/Status: (running|completed)/)).toBeVisible();
  await expect(page.getByText("Status: completed")).toBeVisible({ timeout: 120_000 });
  await expect
    .poll(() => graphCounts(page))
    .toEqual({ identities: 3, transitions: 3, hops: HOPS + 1 });

  const labels = await chainGraph(page).locator(".react-flow__edge-text").allTextContents();
  expect(labels).toHaveLength(3);
  expect(labels.map(Number).reduce((sum, count) => sum + count, 0)).toBe(HOPS + 1);

  const records = await exportCsv(page);
  expectHopsInOrder(records, HOPS + 1);
  expect(new Set(records.map((record) => record.hop)).size).toBe(HOPS + 1);
});
