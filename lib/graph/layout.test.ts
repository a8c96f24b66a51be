import { describe, expect, it } from "vitest";
import { linearHops, pingPongHops } from "@/lib/runs/test-fixtures";
import type { HopRecord, RunEvent } from "@/lib/runs/types";
import { foldEvents } from "./fold";
import { LAYOUT_SPACING_X, LAYOUT_SPACING_Y, layoutGraph, snakeColumns } from "./layout";

function model(hops: HopRecord[]) {
  const events: RunEvent[] = hops.map((data, i) => ({ seq: i + 1, runId: "r", type: "hop", data }));
  return foldEvents(events);
}

describe("graph layout", () => {
  it("draws a ping-pong as a triangle: base on top, the two roles below", () => {
    const graph = model(pingPongHops(500));
    const positions = layoutGraph(graph);
    const [base, a, b] = graph.nodes.map((n) => positions.get(n.id));
    expect(base).toEqual({ x: 0, y: 0 });
    expect(a?.y).toBe(b?.y);
    expect(a?.y).toBeGreaterThan(0);
    expect(a?.x).toBeLessThan(0);
    expect(b?.x).toBeGreaterThan(0);
  });

  it("lays a 1,000-role linear chain out as a snake: distinct spots, neighbours adjacent", () => {
    const graph = model(linearHops(999));
    expect(graph.nodes).toHaveLength(1001);
    const positions = layoutGraph(graph);
    const points = graph.nodes.map((n) => positions.get(n.id));

    expect(new Set(points.map((p) => `${p?.x},${p?.y}`)).size).toBe(1001);
    // Each hop's two ends are one step apart, along a row or down at a row's end.
    for (let i = 1; i < points.length; i++) {
      const [p, q] = [points[i - 1], points[i]];
      const dx = Math.abs((q?.x ?? 0) - (p?.x ?? 0));
      const dy = Math.abs((q?.y ?? 0) - (p?.y ?? 0));
      expect([dx, dy]).toSatisfy(
        ([x, y]: number[]) =>
          (x === LAYOUT_SPACING_X && y === 0) || (x === 0 && y === LAYOUT_SPACING_Y),
      );
    }
    // Readable proportions: neither a long line nor a tall tower.
    const width = Math.max(...points.map((p) => p?.x ?? 0));
    const height = Math.max(...points.map((p) => p?.y ?? 0));
    expect(width / height).toBeGreaterThan(0.5);
    expect(width / height).toBeLessThan(3);
  });

  it("is deterministic", () => {
    const graph = model(linearHops(50));
    expect([...layoutGraph(graph)]).toEqual([...layoutGraph(structuredClone(graph))]);
  });

  it.each([
    [4, 4],
    [12, 6],
    [102, 18],
    [1_002, 25],
  ])("uses %i nodes -> %i columns", (nodes, columns) => {
    expect(snakeColumns(nodes)).toBe(columns);
  });
});
