import { describe, expect, it } from "vitest";
import { BASE_ARN, linearHops, makeHop, pingPongHops, roleArn } from "@/lib/runs/test-fixtures";
import type { HopRecord, RunEvent } from "@/lib/runs/types";
import { emptyGraph, foldEvent, foldEvents, GraphFolder, labelOf } from "./fold";

function hopEvents(hops: HopRecord[], firstSeq = 1): RunEvent[] {
  return hops.map((data, i) => ({ seq: firstSeq + i, runId: "r", type: "hop", data }));
}

describe("graph fold", () => {
  it("starts empty", () => {
    expect(emptyGraph()).toEqual({
      nodes: [],
      edges: [],
      current: "",
      lastSeq: 0,
      lastHop: -1,
      hops: 0,
      errors: 0,
    });
  });

  it.each([1, 2, 3, 100, 2_000, 100_001])(
    "folds a ping-pong of %i hops into 3 nodes and 3 edges with counts summing to hops+1",
    (hops) => {
      const model = foldEvents(hopEvents(pingPongHops(hops)));
      const expectedNodes = Math.min(3, hops + 2);
      expect(model.nodes).toHaveLength(expectedNodes);
      expect(model.edges).toHaveLength(Math.min(3, hops + 1));
      expect(model.edges.reduce((sum, e) => sum + e.count, 0)).toBe(hops + 1);
      expect(model.hops).toBe(hops + 1);
      expect(model.lastHop).toBe(hops);
    },
  );

  it("names ping-pong edges base->A, A->B, B->A with their counts", () => {
    const model = foldEvents(hopEvents(pingPongHops(4)));
    const [a, b] = [roleArn("A"), roleArn("B")];
    expect(model.edges.map((e) => [e.source, e.target, e.count, e.lastHop])).toEqual([
      [BASE_ARN, a, 1, 0],
      [a, b, 2, 3],
      [b, a, 2, 4],
    ]);
    expect(model.current).toBe(a);
    expect(model.nodes.map((n) => [n.label, n.kind, n.visits, n.firstHop])).toEqual([
      ["user/admin", "base", 0, -1],
      ["A", "role", 3, 0],
      ["B", "role", 2, 1],
    ]);
  });

  it("folds a linear chain of 100 hops into 102 nodes and 101 edges, following the newest", () => {
    const model = foldEvents(hopEvents(linearHops(100)));
    expect(model.nodes).toHaveLength(102);
    expect(model.edges).toHaveLength(101);
    expect(model.current).toBe(roleArn("r100"));
    expect(model.edges.every((e) => e.count === 1)).toBe(true);
  });

  it("counts a failed hop on its edge and flags the target node", () => {
    const hops = [
      makeHop(0, "A", null),
      makeHop(1, "B", "A", { status: "error", errorCode: "AccessDenied", toArn: "" }),
    ];
    const model = foldEvents(hopEvents(hops));
    const edge = model.edges.find((e) => e.target === roleArn("B"));
    expect(edge).toMatchObject({ source: roleArn("A"), count: 0, errors: 1, lastHop: 1 });
    expect(model.nodes.find((n) => n.id === roleArn("B"))).toMatchObject({
      failed: true,
      visits: 0,
    });
    expect(model.current).toBe(roleArn("A"));
    expect(model.errors).toBe(1);
  });

  it("clears a node's failed flag when a later hop to it succeeds", () => {
    const hops = [makeHop(0, "A", null, { status: "error", toArn: "" }), makeHop(0, "A", null)];
    const model = foldEvents(hopEvents(hops));
    expect(model.nodes.find((n) => n.id === roleArn("A"))?.failed).toBe(false);
  });

  it("ignores events it already folded, so a replay after a snapshot is harmless", () => {
    const events = hopEvents(pingPongHops(10));
    const once = foldEvents(events);
    expect(foldEvents(events, once)).toEqual(once);
  });

  it("continues from a snapshot exactly as an uninterrupted fold", () => {
    const events = hopEvents(linearHops(30));
    const snapshot = foldEvents(events.slice(0, 12));
    expect(foldEvents(events.slice(12), snapshot)).toEqual(foldEvents(events));
  });

  it("counts only hop events but tracks the newest seq of any event", () => {
    const model = foldEvent(emptyGraph(), {
      seq: 5,
      runId: "r",
      type: "status",
      data: { status: "running" },
    });
    expect(model).toMatchObject({ lastSeq: 5, hops: 0, nodes: [] });
  });

  it("hands out snapshots that later events never change", () => {
    const folder = new GraphFolder();
    const events = hopEvents(pingPongHops(3));
    folder.apply(events[0] as RunEvent);
    const snapshot = folder.snapshot();
    for (const event of events.slice(1)) folder.apply(event);
    expect(snapshot.edges).toHaveLength(1);
    expect(snapshot.nodes[1]?.visits).toBe(1);
  });

  it.each([
    ["arn:aws:iam::123456789012:role/rolechain/rolechain-7", "role", "rolechain-7"],
    ["arn:aws:iam::123456789012:role/plain", "role", "plain"],
    ["arn:aws:iam::123456789012:user/admin", "base", "user/admin"],
    ["arn:aws:sts::123456789012:assumed-role/r/s", "base", "assumed-role/r/s"],
    ["not-an-arn", "role", "not-an-arn"],
  ] as const)("labels %s as %s", (arn, kind, label) => {
    expect(labelOf(arn, kind)).toBe(label);
  });
});
