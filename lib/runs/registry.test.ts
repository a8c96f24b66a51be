import { afterEach, describe, expect, it, vi } from "vitest";
import { createRunRegistry, type RunOutcome, type RunRegistry } from "./registry";
import { RunStore } from "./store";
import { makeHop, makeTempDataDir, pingPongHops } from "./test-fixtures";
import type { RunEvent, RunSink } from "./types";

const stores: RunStore[] = [];

function setup(
  options: { snapshotEvery?: number; dataDir?: string; finishRetryDelaysMs?: number[] } = {},
) {
  const store = new RunStore({ dataDir: options.dataDir ?? makeTempDataDir() });
  stores.push(store);
  const registry = createRunRegistry({
    store,
    snapshotEvery: options.snapshotEvery,
    finishRetryDelaysMs: options.finishRetryDelaysMs ?? [],
    sleep: async () => {},
  });
  return { store, registry };
}

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const CHAIN = { kind: "chain", target: "sandbox", params: { mode: "pingpong" } } as const;

/** Resolves with every event of the run once its final status arrives. */
function collect(registry: RunRegistry, runId: string, afterSeq = 0): Promise<RunEvent[]> {
  return new Promise((resolve) => {
    const events: RunEvent[] = [];
    const unsubscribe = registry.subscribe(runId, afterSeq, (event) => {
      events.push(event);
      if (event.type === "status" && event.data.status !== "running") {
        queueMicrotask(unsubscribe);
        resolve(events);
      }
    });
  });
}

/** Work that waits until the test releases it, so tests control the run's timeline. */
function gatedWork(body: (sink: RunSink) => RunOutcome) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let sinkRef: RunSink | undefined;
  const work = async (sink: RunSink) => {
    sinkRef = sink;
    await gate;
    return body(sink);
  };
  return { work, release: () => release(), sink: () => sinkRef };
}

describe("run registry", () => {
  it("returns a running summary at once and runs the work after the request", async () => {
    const { registry } = setup();
    let started = false;
    const run = registry.start(CHAIN, async () => {
      started = true;
      return { status: "completed" };
    });
    expect(started).toBe(false);
    expect(run).toMatchObject({ kind: "chain", status: "running", hops: 0, finishedAt: null });
    expect(run.id).toMatch(/^[0-9a-z]{14}$/);

    const events = await collect(registry, run.id);
    expect(started).toBe(true);
    expect(events.map((e) => [e.seq, e.type, e.type === "status" && e.data.status])).toEqual([
      [1, "status", "running"],
      [2, "status", "completed"],
    ]);
    expect(registry.get(run.id)).toMatchObject({ status: "completed", error: null });
    expect(registry.get(run.id)?.finishedAt).not.toBeNull();
  });

  it("stores hops, counts them and errors, and masks any unmasked key id", async () => {
    const { registry } = setup();
    const run = registry.start(CHAIN, async (sink) => {
      sink.emit({
        type: "hop",
        data: makeHop(0, "A", null, { accessKeyId: "ASIAABCDEFGH1234WXYZ" }),
      });
      sink.emit({
        type: "hop",
        data: makeHop(1, "B", "A", { status: "error", errorCode: "AccessDenied", toArn: "" }),
      });
      return { status: "failed", error: { code: "AccessDenied", message: "denied" } };
    });
    await collect(registry, run.id);

    expect(registry.get(run.id)).toMatchObject({ status: "failed", hops: 2, errors: 1 });
    const hops = registry.hops(run.id, -1, 10);
    expect(hops.map((h) => [h.hop, h.runId, h.accessKeyId])).toEqual([
      [0, run.id, "ASIA…WXYZ"],
      [1, run.id, "ASIA…WXYZ"],
    ]);
  });

  it("records a throw from the work as failed with the error's code", async () => {
    const { registry } = setup();
    const cause = Object.assign(new Error("role missing"), { code: "NoSuchEntity" });
    const run = registry.start(CHAIN, async () => {
      throw cause;
    });
    const events = await collect(registry, run.id);
    expect(events.at(-1)).toMatchObject({
      type: "status",
      data: { status: "failed", error: { code: "NoSuchEntity", message: "role missing" } },
    });
    expect(registry.get(run.id)?.error).toEqual({ code: "NoSuchEntity", message: "role missing" });
  });

  it("stop sets stopRequested, aborts the signal and the work's outcome is recorded", async () => {
    const { registry } = setup();
    const gated = gatedWork((sink) => ({ status: sink.stopRequested ? "stopped" : "completed" }));
    const run = registry.start(CHAIN, gated.work);
    const done = collect(registry, run.id);
    await expect.poll(() => gated.sink()).toBeDefined();

    expect(registry.stop(run.id)).toBe(true);
    expect(gated.sink()?.stopRequested).toBe(true);
    expect(gated.sink()?.signal.aborted).toBe(true);
    gated.release();

    const events = await done;
    expect(events.map((e) => e.type === "status" && e.data.status)).toEqual([
      "running",
      "running",
      "stopped",
    ]);
    expect(registry.stop(run.id)).toBe(false);
    expect(registry.stop("nosuchrun00000")).toBe(false);
  });

  it.each(["completed", "stopped", "failed", "interrupted"] as const)(
    "refuses a final status %s emitted by the work",
    async (status) => {
      const event = { type: "status", data: { status } } as const;
      const { registry } = setup();
      let thrown: unknown;
      const run = registry.start(CHAIN, async (sink) => {
        try {
          sink.emit(event);
        } catch (error) {
          thrown = error;
        }
        return { status: "completed" };
      });
      await collect(registry, run.id);
      expect(thrown).toMatchObject({ code: "InvalidEvent" });
    },
  );

  it("refuses events after the run ended", async () => {
    const { registry } = setup();
    let kept: RunSink | undefined;
    const run = registry.start(CHAIN, async (sink) => {
      kept = sink;
      return { status: "completed" };
    });
    await collect(registry, run.id);
    expect(() => kept?.emit({ type: "hop", data: makeHop(0, "A", null) })).toThrow(
      expect.objectContaining({ code: "RunClosed" }),
    );
  });

  it("replays stored events, then live ones, with no loss or duplicate at the seam", async () => {
    const { registry } = setup();
    const gated = gatedWork(() => ({ status: "completed" }));
    const run = registry.start(CHAIN, gated.work);
    await expect.poll(() => gated.sink()).toBeDefined();
    const sink = gated.sink() as RunSink;
    const hops = pingPongHops(9);
    for (const hop of hops.slice(0, 5)) sink.emit({ type: "hop", data: hop });

    // Subscribe mid-run from seq 3: stored 4..6 replay, then live 7.. follow.
    const seen = collect(registry, run.id, 3);
    for (const hop of hops.slice(5)) sink.emit({ type: "hop", data: hop });
    gated.release();

    const seqs = (await seen).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 4));
    expect(seqs.at(-1)).toBe(12);
  });

  it("lists runs newest first", async () => {
    const { registry } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = registry.start(CHAIN, async () => ({ status: "completed" }));
      ids.push(run.id);
      await collect(registry, run.id);
    }
    expect(registry.list().map((r) => r.id)).toEqual([...ids].reverse());
    expect(registry.list(2)).toHaveLength(2);
  });

  it("serves a finished run's graph from its snapshot plus the events after it", async () => {
    const { registry, store } = setup({ snapshotEvery: 4 });
    const run = registry.start(CHAIN, async (sink) => {
      for (const hop of pingPongHops(10)) sink.emit({ type: "hop", data: hop });
      return { status: "completed" };
    });
    await collect(registry, run.id);

    const graph = registry.graph(run.id);
    expect(graph.nodes).toHaveLength(3);
    expect(graph.edges.reduce((sum, e) => sum + e.count, 0)).toBe(11);
    expect(graph.lastSeq).toBe(store.lastSeq(run.id));
    expect(store.getRun(run.id)?.graphSeq).toBe(graph.lastSeq);
  });

  it("answers RunNotFound for an unknown run", () => {
    const { registry } = setup();
    expect(registry.get("nosuchrun00000")).toBeUndefined();
    for (const call of [
      () => registry.hops("nosuchrun00000", -1, 1),
      () => registry.graph("nosuchrun00000"),
      () => registry.csv("nosuchrun00000"),
      () => registry.subscribe("nosuchrun00000", 0, () => {}),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: "RunNotFound" }));
    }
  });

  it("marks a run interrupted when a new registry opens the store of a dead server", async () => {
    const dataDir = makeTempDataDir();
    const first = setup({ dataDir });
    const gated = gatedWork(() => ({ status: "completed" }));
    const run = first.registry.start(CHAIN, gated.work);
    await expect.poll(() => gated.sink()).toBeDefined();
    for (const hop of pingPongHops(3)) gated.sink()?.emit({ type: "hop", data: hop });

    // Same pid, new store handle: the old registry counts as dead.
    const second = setup({ dataDir });
    expect(second.registry.get(run.id)).toMatchObject({ status: "interrupted", hops: 4 });
    expect(second.registry.graph(run.id).nodes).toHaveLength(3);
  });

  it("logs, rather than crashes on, a final write the store refuses", async () => {
    const { registry, store } = setup();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const run = registry.start(CHAIN, async () => {
      store.close();
      return { status: "completed" };
    });
    await expect.poll(() => errors.mock.calls.length).toBeGreaterThan(0);
    expect(errors.mock.calls[0]?.[0]).toBe("runs.registry finish_failed");
    expect(errors.mock.calls[0]?.[1]).toMatchObject({ runId: run.id });
    errors.mockRestore();
    stores.pop();
  });

  it("retries a final write refused by a locked database, so the run ends stored", async () => {
    const { registry, store } = setup({ finishRetryDelaysMs: [0, 0] });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const realFinish = store.finish.bind(store);
    // A stand-in for another process holding the write lock past busy_timeout.
    const finish = vi.spyOn(store, "finish").mockImplementationOnce(() => {
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    });
    finish.mockImplementation(realFinish);
    const gated = gatedWork(() => ({ status: "completed" }));
    const run = registry.start(CHAIN, gated.work);
    const events = collect(registry, run.id);
    await expect.poll(() => gated.sink()).toBeDefined();
    gated.release();

    const final = (await events).at(-1);
    expect(final).toMatchObject({ type: "status", data: { status: "completed" } });
    expect(store.getRun(run.id)?.status).toBe("completed");
    expect(store.eventsAfter(run.id, 0, 10).map((event) => event.seq)).toEqual([1, 2]);
    expect(errors.mock.calls[0]?.[1]).toMatchObject({ code: "SQLITE_BUSY", retryInMs: 0 });
    errors.mockRestore();
  });

  it("ends every live stream even when the store never takes the final write", async () => {
    const { registry, store } = setup({ finishRetryDelaysMs: [0] });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const gated = gatedWork(() => {
      store.close();
      return { status: "completed" };
    });
    const run = registry.start(CHAIN, gated.work);
    const events = collect(registry, run.id);
    await expect.poll(() => gated.sink()).toBeDefined();
    gated.release();

    expect((await events).at(-1)).toMatchObject({ seq: 2, data: { status: "completed" } });
    expect(registry.get(run.id)?.status).toBe("completed");
    expect(errors).toHaveBeenCalledTimes(2);
    errors.mockRestore();
    stores.pop();
  });
});
