"use client";

import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";

/** Where an edge leaves or enters a node; each side has a source and a target handle. */
export type Side = "top" | "right" | "bottom" | "left";

const SIDES: Array<[Side, Position]> = [
  ["top", Position.Top],
  ["right", Position.Right],
  ["bottom", Position.Bottom],
  ["left", Position.Left],
];

/**
 * One identity on the chain graph: its short name and invisible handles on every side, so each
 * edge can take the side that keeps it short and keeps A->B and B->A apart. Deliberately plain:
 * a 1,000-role chain renders hundreds of these.
 */
export const IdentityNode = memo(function IdentityNode({ data }: NodeProps) {
  return (
    <>
      {SIDES.map(([side, position]) => (
        <Handle
          key={`t-${side}`}
          id={`t-${side}`}
          type="target"
          position={position}
          isConnectable={false}
        />
      ))}
      <span>{String(data.label ?? "")}</span>
      {SIDES.map(([side, position]) => (
        <Handle
          key={`s-${side}`}
          id={`s-${side}`}
          type="source"
          position={position}
          isConnectable={false}
        />
      ))}
    </>
  );
});

export const IDENTITY_NODE_TYPES = { identity: IdentityNode };

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
