/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process, one after another, so one
 * benchmark's heap never skews another's memory figures. Arguments pass through (`--hops N`).
 * Each benchmark prints `name: value` lines, with ratios against a baseline measured in the
 * same run; this runner only adds a header per file and the exit status.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const benchDir = path.dirname(new URL(import.meta.url).pathname);
const only = process.env.ROLECHAIN_BENCH;
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => !only || name.startsWith(only))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(benchDir, file),
      ...process.argv.slice(2),
    ],
    { stdio: "inherit", env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" } },
  );
  if (result.status !== 0) {
    failed += 1;
    console.log(`${file}: exit ${result.status ?? result.signal}`);
  }
}
console.log(`\nbench: ${files.length - failed} of ${files.length} benchmarks finished cleanly`);
process.exit(failed === 0 ? 0 : 1);
