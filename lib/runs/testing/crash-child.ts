/**
 * Test helper process for crash.test.ts: starts a chain run that stores hops as fast as it can
 * and prints `hop N` after each one is stored (what a browser could have seen), until the test
 * kills it with SIGKILL. Usage: crash-child.ts <dataDir>
 */
import { createRunRegistry } from "@/lib/runs/registry";
import { makeHop } from "@/lib/runs/test-fixtures";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: crash-child.ts <dataDir>");

const registry = createRunRegistry({ dataDir, snapshotEvery: 50 });
const run = registry.start(
  { kind: "chain", target: "sandbox", params: { mode: "pingpong" } },
  async (sink) => {
    for (let n = 0; ; n++) {
      const name = n % 2 === 0 ? "A" : "B";
      const from = n === 0 ? null : n % 2 === 0 ? "B" : "A";
      sink.emit({ type: "hop", data: makeHop(n, name, from) });
      process.stdout.write(`hop ${n}\n`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  },
);
process.stdout.write(`run ${run.id}\n`);
