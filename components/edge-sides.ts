/** Where an edge leaves or enters a node; each side has a source and a target handle. */
export type Side = "top" | "right" | "bottom" | "left";

/**
 * Sides for an edge between two positions. Mostly-horizontal edges leave sideways, mostly
 * vertical ones up or down. When the reverse edge exists too (ping-pong), the pair is split:
 * rightward and downward edges bend one way, leftward and upward ones the other.
 */
export function sidesFor(
  from: { x: number; y: number },
  to: { x: number; y: number },
  hasReverse: boolean,
): { sourceHandle: string; targetHandle: string } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const horizontal = Math.abs(dx) >= Math.abs(dy);
  let source: Side;
  let target: Side;
  if (hasReverse && horizontal) {
    source = target = dx > 0 ? "bottom" : "top";
  } else if (hasReverse) {
    source = target = dy > 0 ? "right" : "left";
  } else if (horizontal) {
    source = dx > 0 ? "right" : "left";
    target = dx > 0 ? "left" : "right";
  } else {
    source = dy > 0 ? "bottom" : "top";
    target = dy > 0 ? "top" : "bottom";
  }
  return { sourceHandle: `s-${source}`, targetHandle: `t-${target}` };
}
