import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getRunRegistry } from "@/lib/runs/registry";
import { makeHop, makeTempDataDir, pingPongHops } from "@/lib/runs/test-fixtures";
import { GET as getEvents, HEAD as headEvents } from "./[id]/events/route";
import { GET as getGraph } from "./[id]/graph/route";
import { GET as getHops } from "./[id]/hops/route";
import { GET as getCsv } from "./[id]/hops.csv/route";
import { GET as getRun } from "./[id]/route";
import { GET as listRuns } from "./route";

// Before the first getRunRegistry(): the singleton opens its store in this temp dir.
process.env.ROLECHAIN_DATA_DIR = makeTempDataDir("rolechain-routes-");

const BASE = "http://127.0.0.1:3000/api/runs";
const UNKNOWN = "0zzzzzzzzzzzzz";
let runId = "";

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

beforeAll(async () => {
  const registry = getRunRegistry();
  const run = registry.start(
    { kind: "chain", target: "sandbox", params: { mode: "pingpong", hops: 5 } },
    async (sink) => {
      for (const hop of pingPongHops(5)) sink.emit({ type: "hop", data: hop });
      sink.emit({ type: "hop", data: makeHop(6, "B", "A", { errorMessage: "=1+1" }) });
      return { status: "completed" };
    },
  );
  runId = run.id;
  // expect.poll is for tests only; here a bounded poll of the registry.
  for (let tries = 0; registry.get(runId)?.status === "running" && tries < 500; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

describe("GET /api/runs", () => {
  it("lists run summaries newest first", async () => {
    const response = await listRuns(new Request(BASE));
    expect(response.status).toBe(200);
    const runs = await response.json();
    expect(runs[0]).toMatchObject({ id: runId, kind: "chain", status: "completed", hops: 7 });
  });

  it.each(["0", "501", "x", "1.5", "-3"])("refuses limit=%s with a 400 naming limit", async (v) => {
    const response = await listRuns(new Request(`${BASE}?limit=${v}`));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "InvalidParameter", field: "limit" });
    expect(body.error.message).toMatch(/^limit: limit must be a whole number from 1 to 500/);
  });
});

describe("GET /api/runs/:id", () => {
  it("returns the summary", async () => {
    const response = await getRun(new Request(`${BASE}/${runId}`), ctx(runId));
    expect(await response.json()).toMatchObject({
      id: runId,
      params: { mode: "pingpong", hops: 5 },
      status: "completed",
      errors: 0,
      error: null,
    });
  });

  it.each([
    ["an unknown id", UNKNOWN],
    ["a malformed id", "../../etc/passwd"],
  ])("answers 404 JSON for %s, on every run route", async (_name, id) => {
    const request = new Request(`${BASE}/${id}`);
    for (const handler of [getRun, getGraph, getHops, getCsv, getEvents]) {
      const response = await handler(request, ctx(id));
      expect(response.status).toBe(404);
      expect((await response.json()).error).toMatchObject({ code: "RunNotFound" });
    }
  });

  it.each([
    ["a 5,000-character id", "a".repeat(5000)],
    ["an id with control characters", "\u0000\r\nx"],
  ])("does not echo %s in its 404", async (_name, id) => {
    const response = await getRun(new Request(`${BASE}/x`), ctx(id));
    expect(response.status).toBe(404);
    const { error } = await response.json();
    expect(error.message).not.toContain(id);
    expect(error.message).toMatch(/14 lowercase letters and digits/);
  });

  it("names a well-formed unknown id in its 404", async () => {
    const response = await getRun(new Request(`${BASE}/${UNKNOWN}`), ctx(UNKNOWN));
    expect((await response.json()).error.message).toBe(`No run with id ${UNKNOWN}.`);
  });
});

describe("GET /api/runs/:id/hops", () => {
  it("pages hop records with after and limit", async () => {
    const response = await getHops(
      new Request(`${BASE}/${runId}/hops?after=2&limit=2`),
      ctx(runId),
    );
    expect((await response.json()).map((h: { hop: number }) => h.hop)).toEqual([3, 4]);
  });

  it.each([
    ["after", "after=-2"],
    ["after", "after=abc"],
    ["limit", "limit=0"],
    ["limit", "limit=1001"],
    ["limit", "limit=10abc"],
  ])("refuses bad %s (%s) with a 400 naming the field", async (field, query) => {
    const response = await getHops(new Request(`${BASE}/${runId}/hops?${query}`), ctx(runId));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ field });
  });
});

describe("GET /api/runs/:id/graph", () => {
  it("returns the folded graph", async () => {
    const graph = await (await getGraph(new Request(BASE), ctx(runId))).json();
    expect(graph.nodes).toHaveLength(3);
    expect(graph.hops).toBe(7);
  });
});

describe("GET /api/runs/:id/hops.csv", () => {
  it("streams an attachment named after the run, neutralising formulas", async () => {
    const response = await getCsv(new Request(BASE), ctx(runId));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="rolechain-${runId}.csv"`,
    );
    const records: Record<string, string>[] = parse(await response.text(), {
      bom: true,
      columns: true,
    });
    expect(records).toHaveLength(7);
    expect(records[6]?.error_message).toBe("'=1+1");
  });
});

describe("GET /api/runs/:id/events", () => {
  it("streams with anti-buffering headers, resuming after Last-Event-ID", async () => {
    const request = new Request(`${BASE}/${runId}/events`, { headers: { "last-event-id": "6" } });
    const response = await getEvents(request, ctx(runId));
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const text = await response.text();
    expect([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual([7, 8, 9]);
  });

  it("starts after ?lastEventId= when no header is sent", async () => {
    const response = await getEvents(
      new Request(`${BASE}/${runId}/events?lastEventId=8`),
      ctx(runId),
    );
    expect([...(await response.text()).matchAll(/^id: (\d+)$/gm)].map((m) => m[1])).toEqual(["9"]);
  });

  it("answers HEAD with the stream's headers and opens no stream", async () => {
    const registry = getRunRegistry();
    const reads = vi.spyOn(registry, "eventsAfter");
    const subscribes = vi.spyOn(registry, "subscribe");
    const response = await headEvents(new Request(`${BASE}/${runId}/events`), ctx(runId));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.body).toBeNull();
    expect(reads).not.toHaveBeenCalled();
    expect(subscribes).not.toHaveBeenCalled();
    reads.mockRestore();
    subscribes.mockRestore();
    const unknown = await headEvents(new Request(`${BASE}/${UNKNOWN}/events`), ctx(UNKNOWN));
    expect(unknown.status).toBe(404);
  });

  it("refuses a malformed ?lastEventId= with a 400 naming it", async () => {
    const response = await getEvents(
      new Request(`${BASE}/${runId}/events?lastEventId=x`),
      ctx(runId),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ field: "lastEventId" });
  });
});
