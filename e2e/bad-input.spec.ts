import { expect, type Page, test } from "@playwright/test";
import { appUrl } from "./support/app-server";

interface BadInput {
  form: "roles" | "chain";
  label: string;
  value: string;
}

const BAD_INPUTS: BadInput[] = [
  { form: "roles", label: "Number of roles", value: "0" },
  { form: "roles", label: "Number of roles", value: "-1" },
  { form: "roles", label: "Number of roles", value: "1000000000" },
  { form: "roles", label: "Number of roles", value: "many" },
  { form: "roles", label: "Role path", value: "rolechain" },
  { form: "roles", label: "Role name prefix", value: "bad name!" },
  { form: "chain", label: "Hops", value: "0" },
  { form: "chain", label: "Hops", value: "-1" },
  { form: "chain", label: "Hops", value: "1000000000" },
  { form: "chain", label: "Hops", value: "lots" },
];

async function runCount(page: Page): Promise<number> {
  const response = await page.request.get(appUrl("/api/runs"));
  return ((await response.json()) as unknown[]).length;
}

for (const { form, label, value } of BAD_INPUTS) {
  test(`refuses ${label} = ${JSON.stringify(value)} with a message naming the field; creates nothing`, async ({
    page,
  }) => {
    await page.goto(appUrl("/"));
    const managed = await page.getByTestId("managed-roles").textContent();
    const runsBefore = await runCount(page);

    const field = page.getByLabel(label, { exact: true });
    await field.fill(value);
    const button = form === "roles" ? "Provision roles" : "Start chain";
    await page.getByRole("button", { name: button }).click();

    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(field).toHaveAccessibleDescription(new RegExp(label));
    expect(await runCount(page)).toBe(runsBefore);
    await page.reload();
    await expect(page.getByTestId("managed-roles")).toHaveText(managed ?? "");
  });
}
