"use client";

import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";

import type { Side } from "./edge-sides";

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
