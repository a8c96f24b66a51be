"use client";

import { BaseEdge, type EdgeProps, getBezierPath } from "@xyflow/react";
import { memo } from "react";

/**
 * A transition with its count as plain SVG text. React Flow's own edge label measures itself
 * (getBBox) on every mount to draw a background; on a long chain that forced layout dominated
 * each frame, so the count is drawn with a white halo instead and needs no measuring.
 */
export const CountEdge = memo(function CountEdge(props: EdgeProps) {
  const [path, labelX, labelY] = getBezierPath(props);
  const label = typeof props.label === "string" ? props.label : "";
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} style={props.style} />
      {label && (
        <text
          x={labelX}
          y={labelY}
          className="react-flow__edge-text rc-edge-count"
          textAnchor="middle"
          dominantBaseline="central"
        >
          {label}
        </text>
      )}
    </>
  );
});

export const COUNT_EDGE_TYPES = { count: CountEdge };
