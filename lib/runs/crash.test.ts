import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createRunRegistry } from "./registry";
import { RunStore } from "./store";
import { makeTempDataDir } from "./test-fixtures";

const CHILD = path.join(__dirname, "testing", "crash-child.ts");

describe("a server killed with SIGKILL mid-run", () => {
  it("leaves every hop it reported as stored in the store, and the run interrupted", async () => {
    const dataDir = makeTempDataDir("rolechain-crash-");
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", CHILD, dataDir],
      { cwd: path.resolve(__dirname, "../.."), env: { ...process.env }, stdio: "pipe" },
    );
    let runId = "";
    let lastSeen = -1;
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      child.on("exit", (_code, signal) => resolve(signal));
    });
    await new Promise<void>((resolve, reject) => {
      let buffer = "";
      child.stdout.on("data", (chunk) => {
        buffer += String(chunk);
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) {
          if (line.startsWith("run ")) runId = line.slice(4);
          if (line.startsWith("hop ")) lastSeen = Number(line.slice(4));
        }
        // Kill mid-stride: well past a snapshot, between two snapshots.
        if (lastSeen >= 220 && runId) resolve();
      });
      child.on("exit", () => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const store = new RunStore({ dataDir });
    const registry = createRunRegistry({ store });
    const run = registry.get(runId);
    expect(run).toMatchObject({ status: "interrupted", error: { code: "ServerStopped" } });
    const hops = registry.hops(runId, -1, 100_000).map((h) => h.hop);
    expect(hops.length).toBeGreaterThan(lastSeen);
    expect(hops).toEqual(hops.map((_, i) => i));
    expect(run?.hops).toBe(hops.length);
    const graph = registry.graph(runId);
    expect(graph.nodes).toHaveLength(3);
    expect(graph.edges.reduce((sum, e) => sum + e.count, 0)).toBe(hops.length);
    store.close();
  });
});
