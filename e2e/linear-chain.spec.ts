import { expect, test } from "@playwright/test";
import { appUrl } from "./support/app-server";
import {
  chainGraph,
  expectHopsInOrder,
  exportCsv,
  graphCounts,
  provisionRoles,
  runStatus,
  startChain,
} from "./support/dashboard";

test("a new user provisions 101 roles, watches a 100-hop linear chain grow and exports it", async ({
  page,
}) => {
  await page.goto(appUrl("/"));
  await expect(page.getByRole("banner")).toContainText("sandbox");
  await expect(page.getByRole("banner")).toContainText(/arn:aws:iam::\d{12}:user\//);

  await provisionRoles(page, 101);
  await expect(page.getByTestId("managed-roles")).toHaveText("Managed roles on the target: 101");

  // A small interval keeps the run long enough to see the graph grow while it runs.
  await startChain(page, { mode: "Linear", hops: 100, intervalMs: 20 });
  await expect(page.getByText("Status: running")).toBeVisible();

  const seenWhileRunning: number[] = [];
  await expect
    .poll(
      async () => {
        const { identities } = await graphCounts(page);
        const status = await runStatus(page);
        if (status === "running") seenWhileRunning.push(identities);
        return status;
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe("completed");
  expect(seenWhileRunning.some((n) => n > 1 && n < 102)).toBe(true);

  await expect(page.getByText("Status: completed")).toBeVisible();
  expect(await graphCounts(page)).toEqual({ identities: 102, transitions: 101, hops: 101 });
  await expect(
    chainGraph(page).getByRole("group", { name: "rolechain-101 (current)" }),
  ).toHaveCount(1);

  const hopLog = page.getByRole("table", { name: "Hop log" });
  await expect(hopLog).toHaveAttribute("aria-rowcount", "102");
  await expect(hopLog.getByRole("row").filter({ hasText: "rolechain-1" }).first()).toBeVisible();

  await page.getByPlaceholder("Find role").fill("rolechain-7");
  await page.getByRole("button", { name: "Find", exact: true }).click();
  await expect(page.getByText("Showing rolechain-7.")).toBeVisible();
  await expect(
    chainGraph(page).getByRole("group", { name: "rolechain-7", exact: true }),
  ).toBeInViewport();

  const records = await exportCsv(page);
  expectHopsInOrder(records, 101);
  records.forEach((record, index) => {
    expect(record.status).toBe("ok");
    expect(record.role_arn).toMatch(new RegExp(`:role/rolechain/rolechain-${index + 1}$`));
    if (index > 0) expect(record.from_arn).toBe(records[index - 1]?.to_arn);
  });
  expect(records[0]?.from_arn).toMatch(/:user\//);

  // The README's picture: the finished run, followed to its newest identity.
  await page.getByRole("button", { name: "Find", exact: true }).click();
  await page.getByPlaceholder("Find role").fill("rolechain-101");
  await page.getByRole("button", { name: "Find", exact: true }).click();
  // The README's picture, refreshed on demand only: tests do not write into the repository.
  if (process.env.ROLECHAIN_SCREENSHOT) await page.screenshot({ path: "docs/screenshot.png" });

  await page.getByRole("link", { name: "Open run page" }).click();
  await expect(page).toHaveURL(/\/runs\//);
  await expect(page.getByText("Status: completed")).toBeVisible();
  expect(await graphCounts(page)).toEqual({ identities: 102, transitions: 101, hops: 101 });
});
