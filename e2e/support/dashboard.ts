import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";

/** One CSV record as the export writes it (header names as keys). */
export type CsvRecord = Record<string, string>;

/** Provisions `count` roles from the dashboard and waits until the progress bar is full. */
export async function provisionRoles(page: Page, count: number): Promise<void> {
  await page.getByLabel("Number of roles", { exact: true }).fill(String(count));
  await page.getByRole("button", { name: "Provision roles" }).click();
  const progress = page.getByRole("progressbar", { name: "Provision progress" });
  await expect(progress).toHaveAttribute("aria-valuemax", String(count));
  await expect(progress).toHaveAttribute("aria-valuenow", String(count), { timeout: 120_000 });
  await expect(page.getByText(`${count} of ${count} roles ready · completed`)).toBeVisible();
}

export interface ChainChoice {
  mode: "Linear" | "Ping-pong" | "Profiles";
  hops?: number;
  intervalMs?: number;
}

/** Fills the chain form and presses `Start chain`. */
export async function startChain(page: Page, choice: ChainChoice): Promise<void> {
  await page.getByLabel("Chain mode", { exact: true }).selectOption({ label: choice.mode });
  if (choice.hops !== undefined)
    await page.getByLabel("Hops", { exact: true }).fill(String(choice.hops));
  if (choice.intervalMs !== undefined) {
    await page.getByText("Options", { exact: true }).click();
    await page.getByLabel("Interval between hops (ms)").fill(String(choice.intervalMs));
  }
  await page.getByRole("button", { name: "Start chain" }).click();
}

export function chainGraph(page: Page): Locator {
  return page.getByRole("region", { name: "Chain graph" });
}

/** The graph's own count line: "N identities · M transitions · K hops". */
export async function graphCounts(
  page: Page,
): Promise<{ identities: number; transitions: number; hops: number }> {
  const text = (await chainGraph(page).getByTestId("graph-counts").textContent()) ?? "";
  const match = /(\d+) identities · (\d+) transitions · ([\d,]+) hops/.exec(text);
  if (!match) throw new Error(`unexpected graph counts: ${text}`);
  return {
    identities: Number(match[1]),
    transitions: Number(match[2]),
    hops: Number(match[3]?.replaceAll(",", "")),
  };
}

/** The run's status line, e.g. "completed". */
export async function runStatus(page: Page): Promise<string> {
  const text =
    (await page
      .getByText(/^Status: /)
      .first()
      .textContent()) ?? "";
  return text.replace(/^Status: /, "").trim();
}

/** Clicks `Export CSV` and parses the download (RFC 4180, BOM allowed). */
export async function exportCsv(page: Page): Promise<CsvRecord[]> {
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await (await download).path();
  return parseCsv(await readFile(file, "utf8"));
}

export function parseCsv(text: string): CsvRecord[] {
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as CsvRecord[];
}

/** Asserts the records are hops 0..count-1, once each, in order. */
export function expectHopsInOrder(records: CsvRecord[], count: number): void {
  expect(records).toHaveLength(count);
  expect(records.map((record) => Number(record.hop))).toEqual(
    Array.from({ length: count }, (_, hop) => hop),
  );
}
