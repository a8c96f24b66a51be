import { describe, expect, it } from "vitest";
import type { ProfileEdge, ProfileGraph, ProfileNode } from "@/lib/profiles/types";
import { positionProfiles } from "./position-profiles";

const profile = (id: string, sourceProfile?: string, inLoop = false): ProfileNode => ({
  id,
  kind: "role",
  files: ["config"],
  ...(sourceProfile ? { sourceProfile } : {}),
  inLoop,
});

const link = (source: string, target: string, inLoop = false): ProfileEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  inLoop,
});

const graphOf = (nodes: ProfileNode[], edges: ProfileEdge[], loops: string[][] = []) =>
  ({ nodes, edges, loops, problems: [], warnings: [], errors: [] }) satisfies ProfileGraph;

describe("positionProfiles", () => {
  it("C01: puts the andy -> prod -> dev loop on a circle, each member at its own place", () => {
    const graph = graphOf(
      [profile("andy", "prod", true), profile("prod", "dev", true), profile("dev", "andy", true)],
      [link("prod", "andy", true), link("dev", "prod", true), link("andy", "dev", true)],
      [["andy", "prod", "dev", "andy"]],
    );
    const positions = positionProfiles(graph);
    expect(positions.size).toBe(3);
    const places = new Set(
      [...positions.values()].map((p) => `${Math.round(p.x)},${Math.round(p.y)}`),
    );
    expect(places.size).toBe(3);
  });

  it("lays a 1,000-profile chain out in chain order without deep recursion", () => {
    const nodes = [profile("base")];
    const edges: ProfileEdge[] = [];
    for (let i = 1; i <= 1000; i++) {
      const source = i === 1 ? "base" : `p${i - 1}`;
      nodes.push(profile(`p${i}`, source));
      edges.push(link(source, `p${i}`));
    }
    const positions = positionProfiles(graphOf(nodes.reverse(), edges));
    expect(positions.size).toBe(1001);
    // The base comes first (top left), its first child next to it.
    expect(positions.get("base")).toEqual({ x: 0, y: 0 });
    expect(positions.get("p1")?.y).toBe(0);
    expect(positions.get("p1")?.x).toBeGreaterThan(0);
  });
});
