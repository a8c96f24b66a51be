import { rm } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { type AppServer, startAppServer } from "./support/app-server";
import { exportCsv, graphCounts, provisionRoles, startChain } from "./support/dashboard";

declare global {
  interface Window {
    /** Hop numbers an observer in the page read from the run's public event stream. */
    rolechainSeenHops?: number[];
  }
}

let server: AppServer | undefined;

test.afterEach(async () => {
  await server?.stop("SIGKILL");
  if (server) await rm(server.dataDir, { recursive: true, force: true });
  server = undefined;
});

test("kill -9 of the server mid-run: every hop the browser saw is in the CSV, run interrupted", async ({
  page,
}) => {
  const first = await startAppServer();
  server = first;
  await page.goto(first.url);
  await provisionRoles(page, 2);
  await startChain(page, { mode: "Ping-pong", hops: 100_000, intervalMs: 2 });
  await expect(page).toHaveURL(/\?run=/);
  const runId = new URL(page.url()).searchParams.get("run") ?? "";

  // A second reader of the same stream the dashboard reads, keeping every hop number it sees.
  await page.evaluate((id) => {
    const seen: number[] = [];
    window.rolechainSeenHops = seen;
    const source = new EventSource(`/api/runs/${id}/events`);
    source.addEventListener("hop", (event) => {
      seen.push(
        (JSON.parse((event as MessageEvent<string>).data) as { data: { hop: number } }).data.hop,
      );
    });
  }, runId);
  await expect
    .poll(async () => (await graphCounts(page)).hops, { timeout: 60_000 })
    .toBeGreaterThan(100);

  const shownBeforeKill = (await graphCounts(page)).hops;
  await first.stop("SIGKILL");
  const seen = await page.evaluate(() => [...(window.rolechainSeenHops ?? [])]);
  expect(seen.length).toBeGreaterThan(100);

  server = await startAppServer({ dataDir: first.dataDir, port: first.port });
  await page.goto(`${server.url}/?run=${runId}`);
  await expect(page.getByText("Status: interrupted")).toBeVisible();

  const records = await exportCsv(page);
  const exported = new Set(records.map((record) => Number(record.hop)));
  expect(seen.filter((hop) => !exported.has(hop))).toEqual([]);
  expect(records.length).toBeGreaterThanOrEqual(shownBeforeKill);
  expect(exported.size).toBe(records.length);
});
