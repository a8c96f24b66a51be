import { expect, test } from "@playwright/test";
import { appUrl } from "./support/app-server";

const C01_CONFIG = `[profile andy]
role_arn = arn:aws:iam::111122223333:role/r-andy
source_profile = prod

[profile prod]
role_arn = arn:aws:iam::111122223333:role/r-prod
source_profile = dev

[profile dev]
role_arn = arn:aws:iam::111122223333:role/r-dev
source_profile = andy
`;

// The loop may be named from any of its members; each rotation is the same cycle, in order.
const C01_LOOP = /andy → prod → dev → andy|prod → dev → andy → prod|dev → andy → prod → dev/;

test("C01: the profile graph draws and names the andy -> prod -> dev -> andy loop; resolving it starts nothing", async ({
  page,
}) => {
  await page.goto(appUrl("/"));
  const runsBefore = ((await (await page.request.get(appUrl("/api/runs"))).json()) as unknown[])
    .length;

  await page.getByLabel("Chain mode").selectOption({ label: "Profiles" });
  await page.getByLabel("AWS config").fill(C01_CONFIG);
  const graph = page.getByRole("region", { name: "Profile graph" });
  await expect(graph.getByRole("list", { name: "Profile problems" })).toContainText(C01_LOOP);
  await expect(graph.getByRole("group", { name: /in a loop/ })).toHaveCount(3);

  await page.getByLabel("Profile", { exact: true }).fill("andy");
  await page.getByRole("button", { name: "Start chain" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /andy/ })).toContainText(/prod/);
  const runsAfter = ((await (await page.request.get(appUrl("/api/runs"))).json()) as unknown[])
    .length;
  expect(runsAfter).toBe(runsBefore);
});
