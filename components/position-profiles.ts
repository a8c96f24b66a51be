import type { ProfileGraph } from "@/lib/profiles/types";

const COLUMNS = 6;
const STEP_X = 200;
const STEP_Y = 90;
const LOOP_RADIUS = 140;

/**
 * Chains read in order from their roots (profiles with no source) in a snake of rows; each
 * loop sits below on its own circle, so the cycle is drawn as a cycle.
 */
export function positionProfiles(graph: ProfileGraph): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  const inLoop = new Set(graph.loops.flat());
  const children = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.source === edge.target) continue;
    const list = children.get(edge.source) ?? [];
    list.push(edge.target);
    children.set(edge.source, list);
  }
  const hasParent = new Set(graph.edges.filter((e) => e.source !== e.target).map((e) => e.target));
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = graph.nodes.filter((n) => !hasParent.has(n.id) && !inLoop.has(n.id));
  const stack = queue.map((n) => n.id).reverse();
  // Depth-first with an explicit stack: a 1,000-profile chain must not overflow the call stack.
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id) || inLoop.has(id)) continue;
    seen.add(id);
    order.push(id);
    for (const child of [...(children.get(id) ?? [])].reverse()) stack.push(child);
  }
  for (const node of graph.nodes) {
    if (!seen.has(node.id) && !inLoop.has(node.id)) order.push(node.id);
  }
  order.forEach((id, index) => {
    const row = Math.floor(index / COLUMNS);
    const column = index % COLUMNS;
    const x = (row % 2 === 0 ? column : COLUMNS - 1 - column) * STEP_X;
    positions.set(id, { x, y: row * STEP_Y });
  });
  let top = (Math.ceil(order.length / COLUMNS) + 1) * STEP_Y;
  for (const loop of graph.loops) {
    const members = loop.slice(0, -1).filter((id) => !positions.has(id));
    const radius = Math.max(LOOP_RADIUS, (members.length * 60) / Math.PI);
    members.forEach((id, index) => {
      const angle = (2 * Math.PI * index) / members.length - Math.PI / 2;
      positions.set(id, {
        x: radius + radius * Math.cos(angle),
        y: top + radius + radius * Math.sin(angle),
      });
    });
    top += radius * 2 + STEP_Y * 2;
  }
  return positions;
}
