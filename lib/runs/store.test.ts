import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { foldEvents } from "@/lib/graph/fold";
import { isOtherProcessAlive, RunStore, SERVER_STOPPED } from "./store";
import { makeHop, makeTempDataDir } from "./test-fixtures";

const dirs: string[] = [];
const stores: RunStore[] = [];

function openStore(dataDir = makeTempDataDir()): RunStore {
  dirs.push(dataDir);
  const store = new RunStore({ dataDir });
  stores.push(store);
  return store;
}

function newRun(store: RunStore, id = "0000000000run1") {
  store.createRun({
    id,
    kind: "chain",
    target: "sandbox",
    params: { mode: "linear", hops: 3 },
    startedAt: "2026-12-04T10:00:00.000Z",
  });
  return id;
}

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

describe("RunStore", () => {
  it("creates its database in WAL mode inside the data dir", () => {
    const store = openStore();
    newRun(store);
    expect(store.file).toBe(path.join(dirs.at(-1) ?? "", "rolechain.db"));
    expect(fs.existsSync(`${store.file}-wal`)).toBe(true);
  });

  it("numbers events 1, 2, 3 per run and replays them in order", () => {
    const store = openStore();
    const a = newRun(store, "0000000000runa");
    const b = newRun(store, "0000000000runb");
    store.append(a, { type: "status", data: { status: "running" } });
    store.append(b, { type: "status", data: { status: "running" } });
    store.append(a, { type: "hop", data: makeHop(0, "r0", null) });
    store.append(a, { type: "progress", data: { phase: "notice", message: "hi" } });

    expect(store.eventsAfter(a, 0, 10).map((e) => [e.seq, e.type])).toEqual([
      [1, "status"],
      [2, "hop"],
      [3, "progress"],
    ]);
    expect(store.eventsAfter(a, 1, 1).map((e) => e.seq)).toEqual([2]);
    expect(store.eventsAfter(b, 0, 10).map((e) => e.seq)).toEqual([1]);
  });

  it("continues the sequence after a reopen", () => {
    const dir = makeTempDataDir();
    const first = openStore(dir);
    const id = newRun(first);
    first.append(id, { type: "hop", data: makeHop(0, "r0", null) });
    first.close();
    stores.pop();

    const second = openStore(dir);
    expect(second.lastSeq(id)).toBe(1);
    const next = second.append(id, { type: "hop", data: makeHop(1, "r1", "r0") });
    expect(next.seq).toBe(2);
    expect(second.eventsAfter(id, 0, 10).map((e) => e.seq)).toEqual([1, 2]);
  });

  it("pages hop records by hop number for the hop log", () => {
    const store = openStore();
    const id = newRun(store);
    store.append(id, { type: "status", data: { status: "running" } });
    for (let n = 0; n < 10; n++) {
      store.append(id, { type: "hop", data: makeHop(n, `r${n}`, n ? `r${n - 1}` : null) });
    }
    expect(store.hopsAfter(id, -1, 3).map((h) => h.hop)).toEqual([0, 1, 2]);
    expect(store.hopsAfter(id, 7, 100).map((h) => h.hop)).toEqual([8, 9]);
  });

  it("counts hops and error hops", () => {
    const store = openStore();
    const id = newRun(store);
    store.append(id, { type: "hop", data: makeHop(0, "r0", null) });
    store.append(id, {
      type: "hop",
      data: makeHop(1, "r1", "r0", { status: "error", errorCode: "AccessDenied" }),
    });
    expect(store.countHops(id)).toEqual({ hops: 2, errors: 1 });
  });

  it("marks runs left running by a dead process interrupted, keeping every hop", () => {
    const dir = makeTempDataDir();
    const crashed = openStore(dir);
    const id = newRun(crashed);
    crashed.append(id, { type: "status", data: { status: "running" } });
    for (let n = 0; n < 5; n++) {
      crashed.append(id, { type: "hop", data: makeHop(n, `r${n}`, n ? `r${n - 1}` : null) });
    }
    // No close(): the process "died" with the run still marked running.

    const reopened = openStore(dir);
    const recovered = reopened.recoverInterrupted(
      (run, events) => foldEvents(events, run.graph ?? undefined),
      () => false,
    );

    expect(recovered).toEqual([id]);
    const run = reopened.getRun(id);
    expect(run?.status).toBe("interrupted");
    expect(run?.error).toEqual(SERVER_STOPPED);
    expect(run?.hops).toBe(5);
    expect(run?.finishedAt).not.toBeNull();
    expect(run?.graph?.nodes).toHaveLength(6);
    expect(reopened.hopsAfter(id, -1, 100).map((h) => h.hop)).toEqual([0, 1, 2, 3, 4]);
    const last = reopened.eventsAfter(id, 0, 100).at(-1);
    expect(last).toMatchObject({ type: "status", data: { status: "interrupted" } });
  });

  it("leaves alone a running run whose owner process is still alive", () => {
    const dir = makeTempDataDir();
    const owner = openStore(dir);
    const id = newRun(owner);
    const other = openStore(dir);
    expect(
      other.recoverInterrupted(
        () => foldEvents([]),
        () => true,
      ),
    ).toEqual([]);
    expect(other.getRun(id)?.status).toBe("running");
  });

  it("records the final status event and the outcome together", () => {
    const store = openStore();
    const id = newRun(store);
    store.append(id, { type: "status", data: { status: "running" } });
    const event = store.finish(id, {
      status: "failed",
      error: { code: "AccessDenied", message: "no" },
      hops: 0,
      errors: 0,
      graph: foldEvents([]),
    });
    expect(event).toMatchObject({ seq: 2, type: "status", data: { status: "failed" } });
    expect(store.getRun(id)).toMatchObject({ status: "failed", graphSeq: 2 });
  });

  it("keeps sequence numbers gapless after a final write that rolled back", () => {
    const store = openStore();
    const id = newRun(store);
    store.append(id, { type: "hop", data: makeHop(0, "A", null) });
    // A graph that cannot be serialised fails the transaction after its status event went in.
    const graph = { ...foldEvents([]), lastSeq: 1, broken: 1n } as never;
    expect(() =>
      store.finish(id, { status: "completed", error: null, hops: 1, errors: 0, graph }),
    ).toThrow();

    expect(store.append(id, { type: "progress", data: { phase: "notice" } }).seq).toBe(2);
    expect(store.eventsAfter(id, 0, 10).map((event) => event.seq)).toEqual([1, 2]);
  });

  it("refuses a file that is not a database with StoreUnavailable naming the file", () => {
    const dataDir = makeTempDataDir();
    const file = path.join(dataDir, "rolechain.db");
    fs.writeFileSync(file, Buffer.alloc(100_000, 7));

    let thrown: unknown;
    try {
      openStore(dataDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "RunsError", code: "StoreUnavailable" });
    expect((thrown as Error).message).toContain(file);
    expect((thrown as Error).message).toContain("SQLITE_NOTADB");
    expect((thrown as { hint?: string }).hint).toMatch(/move it aside/);
    expect((thrown as Error).cause).toMatchObject({ code: "SQLITE_NOTADB" });
  });

  describe("after a restart, a run's old pid", () => {
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const child of children.splice(0)) child.kill("SIGKILL");
    });

    /** A live process that opens `file` (or nothing) and waits to be killed. */
    async function liveProcess(file?: string): Promise<number> {
      const script = `${file ? `require("fs").openSync(${JSON.stringify(file)}, "r");` : ""}
        console.log("ready"); setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ["-e", script], {
        stdio: ["ignore", "pipe", "ignore"],
      });
      children.push(child);
      await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
      return child.pid ?? -1;
    }

    it.skipIf(!fs.existsSync("/proc/self/fd"))(
      "now used by a process without the database counts as dead",
      async () => {
        const store = openStore();
        const stranger = await liveProcess();
        expect(isOtherProcessAlive(stranger, store.file)).toBe(false);
      },
    );

    it("held by a process with the database open counts as alive", async () => {
      const store = openStore();
      const server = await liveProcess(store.file);
      expect(isOtherProcessAlive(server, store.file)).toBe(true);
    });
  });
});
