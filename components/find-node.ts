import type { GraphNode } from "@/lib/graph/types";

/** Exact label first, then ARN, then the first label containing the text (case-insensitive). */
export function findNode(nodes: GraphNode[], query: string): GraphNode | undefined {
  const wanted = query.toLowerCase();
  return (
    nodes.find((node) => node.label.toLowerCase() === wanted) ??
    nodes.find((node) => node.id.toLowerCase() === wanted) ??
    nodes.find((node) => node.label.toLowerCase().includes(wanted))
  );
}
