/**
 * Node positions for React Flow, computed from the graph model alone (pure, deterministic).
 *
 * - Up to 3 identities (a ping-pong of any length, or a short chain): a triangle with the base
 *   on top and the two roles below, so the A<->B edges and their counts stay legible.
 * - More: a snake (boustrophedon) of rows in the order identities were first reached; each row
 *   runs the other way from the one before, so consecutive hops are always neighbours and a
 *   1,000-role linear chain reads like text instead of a 200,000-pixel line.
 */
import type { GraphModel, GraphNode } from "./types";

export interface NodePosition {
  x: number;
  y: number;
}

export interface LayoutOptions {
  /** Horizontal distance between node origins. */
  spacingX?: number;
  /** Vertical distance between rows. */
  spacingY?: number;
  /** Nodes per snake row; default grows with the square root of the node count. */
  columns?: number;
}

export const LAYOUT_SPACING_X = 220;
export const LAYOUT_SPACING_Y = 130;
const MIN_COLUMNS = 4;
const MAX_COLUMNS = 25;

/** Orders identities by when they were first reached; ties keep the model's order. */
function byFirstReached(nodes: GraphNode[]): GraphNode[] {
  return nodes
    .map((node, index) => ({ node, index }))
    .sort((a, b) => a.node.firstHop - b.node.firstHop || a.index - b.index)
    .map(({ node }) => node);
}

export function snakeColumns(nodeCount: number): number {
  const columns = Math.ceil(Math.sqrt(nodeCount * 3));
  return Math.min(MAX_COLUMNS, Math.max(MIN_COLUMNS, columns));
}

/**
 * @example
 * const positions = layoutGraph(model);
 * const nodes = model.nodes.map((n) => ({ id: n.id, position: positions.get(n.id) ?? ORIGIN }));
 */
export function layoutGraph(
  model: GraphModel,
  options: LayoutOptions = {},
): Map<string, NodePosition> {
  const spacingX = options.spacingX ?? LAYOUT_SPACING_X;
  const spacingY = options.spacingY ?? LAYOUT_SPACING_Y;
  const ordered = byFirstReached(model.nodes);
  const positions = new Map<string, NodePosition>();

  if (ordered.length <= 3) {
    const corners: NodePosition[] = [
      { x: 0, y: 0 },
      { x: -spacingX, y: spacingY * 1.5 },
      { x: spacingX, y: spacingY * 1.5 },
    ];
    ordered.forEach((node, index) => {
      positions.set(node.id, corners[index] ?? { x: 0, y: 0 });
    });
    return positions;
  }

  const columns = options.columns ?? snakeColumns(ordered.length);
  ordered.forEach((node, index) => {
    const row = Math.floor(index / columns);
    const offset = index % columns;
    const column = row % 2 === 0 ? offset : columns - 1 - offset;
    positions.set(node.id, { x: column * spacingX, y: row * spacingY });
  });
  return positions;
}

export const ORIGIN: NodePosition = { x: 0, y: 0 };
