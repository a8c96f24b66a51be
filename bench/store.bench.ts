/**
 * Run store throughput: events appended per second through the bare store and through the
 * registry's sink (store + counters + graph fold + bus), and the CSV export rate, against a
 * baseline of bare SQLite inserts of the same rows measured in the same run.
 * `--hops N` (default 50,000). Uses a temp data dir; nothing leaves the machine.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createRunRegistry } from "@/lib/runs/registry";
import { RunStore } from "@/lib/runs/store";
import { pingPongHops } from "@/lib/runs/test-fixtures";

const hopsArg = process.argv.indexOf("--hops");
const count = hopsArg > 0 ? Number(process.argv[hopsArg + 1]) : 50_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rolechain-bench-store-"));
const hops = pingPongHops(count - 1);

function perSecond(n: number, startedAt: number): number {
  return Math.round(n / ((performance.now() - startedAt) / 1000));
}

function bareInserts(): number {
  const db = new Database(path.join(dataDir, "bare.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE e (run_id TEXT, seq INTEGER, data TEXT, PRIMARY KEY (run_id, seq))");
  const insert = db.prepare("INSERT INTO e VALUES (?, ?, ?)");
  const t = performance.now();
  for (const [i, hop] of hops.entries()) insert.run("bare", i + 1, JSON.stringify(hop));
  const rate = perSecond(hops.length, t);
  db.close();
  return rate;
}

function storeAppends(store: RunStore): number {
  store.createRun({
    id: "0000000000bare",
    kind: "chain",
    target: "sandbox",
    params: {},
    startedAt: "",
  });
  const t = performance.now();
  for (const hop of hops) store.append("0000000000bare", { type: "hop", data: hop });
  return perSecond(hops.length, t);
}

async function registryEmits(store: RunStore): Promise<{ rate: number; runId: string }> {
  const registry = createRunRegistry({ store });
  let t = 0;
  const run = registry.start({ kind: "chain", target: "sandbox", params: {} }, async (sink) => {
    t = performance.now();
    for (const hop of hops) sink.emit({ type: "hop", data: hop });
    return { status: "completed" };
  });
  while (registry.get(run.id)?.status === "running") await new Promise((r) => setTimeout(r, 5));
  const rate = perSecond(hops.length, t);
  const exportStart = performance.now();
  const bytes = (await new Response(registry.csv(run.id)).arrayBuffer()).byteLength;
  console.log(`csv export rows/s: ${perSecond(hops.length, exportStart)} (${bytes} bytes)`);
  return { rate, runId: run.id };
}

async function main(): Promise<void> {
  const bare = bareInserts();
  const store = new RunStore({ dataDir });
  const appended = storeAppends(store);
  const { rate: emitted } = await registryEmits(store);
  console.log(`bare sqlite inserts/s: ${bare}`);
  console.log(`store appends/s: ${appended} (ratio ${(appended / bare).toFixed(2)})`);
  console.log(`registry emits/s: ${emitted} (ratio ${(emitted / bare).toFixed(2)})`);
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

void main();
