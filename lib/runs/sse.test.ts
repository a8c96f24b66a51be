import { afterAll, describe, expect, it } from "vitest";
import { RunBus } from "./bus";
import { createRunRegistry, type RunRegistry } from "./registry";
import {
  createEventStream,
  type EventStreamOptions,
  type EventStreamTimers,
  KEEP_ALIVE_COMMENT,
  parseLastEventId,
} from "./sse";
import { RunStore } from "./store";
import { makeHop, makeTempDataDir, pingPongHops } from "./test-fixtures";
import type { RunSink } from "./types";

const store = new RunStore({ dataDir: makeTempDataDir() });
const bus = new RunBus();
let idCounter = 0;
const registry = createRunRegistry({
  store,
  bus,
  now: () => new Date("2026-12-04T10:00:00.000Z"),
  createId: () => `sserun${String(++idCounter).padStart(8, "0")}`,
});

afterAll(() => store.close());

const CHAIN = { kind: "chain", target: "sandbox", params: { mode: "pingpong" } } as const;

/** Timers the test fires by hand: no waiting 15 s for a keep-alive. */
function manualTimers() {
  const live = new Map<number, () => void>();
  let next = 0;
  const timers: EventStreamTimers = {
    setInterval: (callback) => {
      next += 1;
      live.set(next, callback);
      return next;
    },
    clearInterval: (handle) => {
      live.delete(handle as number);
    },
  };
  const fire = () => {
    for (const callback of live.values()) callback();
  };
  return { timers, fire, live };
}

/** A run held open until `finish()`, so tests interleave emits and reads. */
async function openRun(reg: RunRegistry = registry) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let sink: RunSink | undefined;
  const run = reg.start(CHAIN, async (s) => {
    sink = s;
    await done;
    return { status: "completed" };
  });
  await expect.poll(() => sink).toBeDefined();
  return { id: run.id, sink: sink as RunSink, finish };
}

async function finishedRun(hops = 3): Promise<string> {
  const run = registry.start(CHAIN, async (sink) => {
    for (const hop of pingPongHops(hops - 1)) sink.emit({ type: "hop", data: hop });
    sink.emit({ type: "progress", data: { phase: "notice", message: "done soon" } });
    return { status: "completed" };
  });
  await expect.poll(() => registry.get(run.id)?.status).toBe("completed");
  return run.id;
}

function stream(
  runId: string,
  lastEventId: string | number | null,
  options: EventStreamOptions = {},
  signal = new AbortController().signal,
) {
  return createEventStream(runId, lastEventId, signal, {
    registry,
    timers: manualTimers().timers,
    ...options,
  });
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

function ids(text: string): number[] {
  return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
}

describe("SSE event stream", () => {
  it("writes the wire format byte for byte and closes after the final status", async () => {
    const runId = await finishedRun(1);
    const hop = JSON.stringify({
      seq: 2,
      runId,
      type: "hop",
      data: { ...makeHop(0, "A", null), runId },
    });
    const expected =
      "retry: 2000\n\n" +
      `id: 1\nevent: status\ndata: {"seq":1,"runId":"${runId}","type":"status",` +
      `"data":{"status":"running"}}\n\n` +
      `id: 2\nevent: hop\ndata: ${hop}\n\n` +
      `id: 3\nevent: progress\ndata: {"seq":3,"runId":"${runId}","type":"progress",` +
      `"data":{"phase":"notice","message":"done soon"}}\n\n` +
      `id: 4\nevent: status\ndata: {"seq":4,"runId":"${runId}","type":"status",` +
      `"data":{"status":"completed","error":null}}\n\n`;
    expect(await readAll(stream(runId, null))).toBe(expected);
  });

  it("replays only the events after Last-Event-ID", async () => {
    const runId = await finishedRun(5);
    expect(ids(await readAll(stream(runId, "3")))).toEqual([4, 5, 6, 7, 8]);
    expect(ids(await readAll(stream(runId, 3)))).toEqual([4, 5, 6, 7, 8]);
  });

  it("closes at once for a finished run when the client already saw the end", async () => {
    const runId = await finishedRun(2);
    expect(await readAll(stream(runId, "7"))).toBe("retry: 2000\n\n");
  });

  it.each([
    ["5", 5],
    ["0", 0],
    [" 12 ", 12],
    ["-1", null],
    ["1.5", null],
    ["1e3", null],
    ["abc", null],
    ["", null],
    ["7\nid: 9", null],
    [null, null],
  ])("parses Last-Event-ID %j as %j", (input, expected) => {
    expect(parseLastEventId(input)).toBe(expected);
  });

  it("ignores a malformed Last-Event-ID and replays from the start", async () => {
    const runId = await finishedRun(1);
    expect(ids(await readAll(stream(runId, "-4")))).toEqual([1, 2, 3, 4]);
  });

  it("loses and duplicates nothing at the replay/live seam, across pages", async () => {
    const run = await openRun();
    const hops = pingPongHops(59);
    for (const hop of hops.slice(0, 10)) run.sink.emit({ type: "hop", data: hop });

    const reader = stream(run.id, "2", { pageSize: 3 }).getReader();
    const decoder = new TextDecoder();
    let text = "";
    // Interleave: one read, one new live event, until the hops run out.
    for (const hop of hops.slice(10)) {
      const chunk = await reader.read();
      text += decoder.decode(chunk.value);
      run.sink.emit({ type: "hop", data: hop });
    }
    run.finish();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    const last = store.lastSeq(run.id);
    expect(ids(text)).toEqual(Array.from({ length: last - 2 }, (_, i) => i + 3));
    expect(text.endsWith('"data":{"status":"completed","error":null}}\n\n')).toBe(true);
  });

  it("falls back to the store when a slow client lets the live queue overflow", async () => {
    const run = await openRun();
    const reader = stream(run.id, null, { maxQueued: 4 }).getReader();
    await reader.read(); // retry hint
    await reader.read(); // seq 1, now following live
    for (const hop of pingPongHops(49)) run.sink.emit({ type: "hop", data: hop });
    run.finish();
    let text = "";
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(ids(text)).toEqual(Array.from({ length: 51 }, (_, i) => i + 2));
  });

  it("sends a keep-alive comment on each timer tick", async () => {
    const run = await openRun();
    const manual = manualTimers();
    const reader = stream(run.id, null, { timers: manual.timers }).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("retry: 2000\n\n");
    manual.fire();
    const chunks: string[] = [];
    for (let i = 0; i < 2; i++) chunks.push(decoder.decode((await reader.read()).value));
    expect(chunks).toContain(": keep-alive\n\n");
    await reader.cancel();
    run.finish();
  });

  it("queues no more keep-alives while the client reads nothing", async () => {
    const run = await openRun();
    const manual = manualTimers();
    const reader = stream(run.id, null, { timers: manual.timers }).getReader();
    for (let tick = 0; tick < 1000; tick++) manual.fire();

    const decoder = new TextDecoder();
    const chunks: string[] = [];
    for (let i = 0; i < 3; i++) chunks.push(decoder.decode((await reader.read()).value));
    expect(chunks[0]).toBe("retry: 2000\n\n");
    expect(chunks.filter((chunk) => chunk === KEEP_ALIVE_COMMENT).length).toBeLessThanOrEqual(1);
    expect(chunks[2]).toMatch(/^id: 1\nevent: status\n/);
    await reader.cancel();
    run.finish();
  });

  it.each(["abort", "cancel"] as const)(
    "cleans up (unsubscribes, stops the timer) when the client goes away: %s",
    async (how) => {
      const run = await openRun();
      const manual = manualTimers();
      const controller = new AbortController();
      const body = stream(run.id, null, { timers: manual.timers }, controller.signal);
      const reader = body.getReader();
      await reader.read();
      await reader.read();
      await expect.poll(() => bus.listenerCount(run.id)).toBe(1);
      expect(manual.live.size).toBe(1);

      if (how === "abort") controller.abort();
      else await reader.cancel();

      expect(bus.listenerCount(run.id)).toBe(0);
      expect(manual.live.size).toBe(0);
      if (how === "abort") expect((await reader.read()).done).toBe(true);
      run.finish();
    },
  );

  it("replays a long run page by page, only as fast as the client reads", async () => {
    const runId = "sselongreplay0";
    store.createRun({ id: runId, kind: "chain", target: "sandbox", params: {}, startedAt: "" });
    const hops = pingPongHops(4_999).map((hop) => ({ type: "hop" as const, data: hop }));
    store.appendMany(runId, hops);
    store.finish(runId, {
      status: "completed",
      error: null,
      hops: 5_000,
      errors: 0,
      graph: {
        nodes: [],
        edges: [],
        current: "",
        lastSeq: 0,
        lastHop: -1,
        hops: 0,
        errors: 0,
      },
    });
    const pages: number[] = [];
    // The stream uses only get, subscribe and eventsAfter; the spy counts the pages it reads.
    const spy: RunRegistry = {
      ...registry,
      get: (id) => registry.get(id),
      subscribe: (id, after, listener) => registry.subscribe(id, after, listener),
      eventsAfter: (id, after, limit) => {
        const page = registry.eventsAfter(id, after, limit);
        pages.push(page.length);
        return page;
      },
    };
    const reader = stream(runId, null, { registry: spy, pageSize: 100 }).getReader();
    await reader.read(); // retry hint
    await reader.read(); // first page
    expect(pages.length).toBeLessThanOrEqual(2);
    let text = "";
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(Math.max(...pages)).toBe(100);
    expect(ids(text).at(-1)).toBe(5_001);
    expect(ids(text)).toHaveLength(5_001 - 100);
  });
});
