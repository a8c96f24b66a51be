"use client";

import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  type Node,
  ReactFlow,
  ReactFlowProvider,
} from "@xyflow/react";
import { useMemo } from "react";
import type { ProfileGraph as ProfileGraphModel, ProfileNode } from "@/lib/profiles/types";

const COLUMNS = 6;
const STEP_X = 200;
const STEP_Y = 90;
const LOOP_RADIUS = 140;

/**
 * The profile graph of pasted AWS files: a node per profile with what it holds, an edge per
 * `source_profile`, loops drawn in red and named, problems listed with their profile.
 */
export function ProfileGraph({ graph }: { graph: ProfileGraphModel }) {
  const positions = useMemo(() => positionProfiles(graph), [graph]);
  const nodes = useMemo<Node[]>(
    () =>
      graph.nodes.map((node) => ({
        id: node.id,
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        data: { label: describeProfile(node) },
        className: `rc-node${node.inLoop ? " rc-loop" : ""}`,
        width: 170,
        height: 40,
        ariaLabel: `profile ${node.id}${node.inLoop ? " (in a loop)" : ""}`,
      })),
    [graph, positions],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        markerEnd: { type: MarkerType.ArrowClosed },
        animated: edge.inLoop,
        label: edge.inLoop ? "loop" : undefined,
        style: edge.inLoop ? { stroke: "#b42318", strokeWidth: 2 } : undefined,
      })),
    [graph],
  );

  return (
    <section aria-label="Profile graph" className="chain-graph profile-graph">
      <div className="graph-bar">
        {graph.nodes.length} profiles · {graph.edges.length} source_profile links
        {graph.loops.length > 0 ? ` · ${graph.loops.length} loop(s)` : ""}
      </div>
      {graph.nodes.length > 0 && (
        <div className="graph-canvas">
          <ReactFlowProvider>
            <ReactFlow
              nodes={nodes}
              edges={edges}
              onlyRenderVisibleElements
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              minZoom={0.05}
              fitView
              fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
            >
              <Background gap={24} size={1} />
              <Controls showInteractive={false} />
            </ReactFlow>
          </ReactFlowProvider>
        </div>
      )}
      <ProfileProblems graph={graph} />
    </section>
  );
}

function ProfileProblems({ graph }: { graph: ProfileGraphModel }) {
  const items = [
    ...graph.errors.map((error) => ({
      key: `e${error.file}${error.line}`,
      text: `${error.file} line ${error.line}: ${error.message}`,
    })),
    ...graph.loops.map((loop) => ({
      key: `l${loop.join()}`,
      text: `Loop: ${loop.join(" → ")}`,
    })),
    ...graph.problems
      .filter((problem) => problem.code !== "ProfileLoop")
      .map((problem, index) => ({
        key: `p${index}`,
        text: `${problem.profile}: ${problem.message}${problem.hint ? ` ${problem.hint}` : ""}`,
      })),
  ];
  if (items.length === 0) return null;
  return (
    <ul className="problems" aria-label="Profile problems">
      {items.map((item) => (
        <li key={item.key}>{item.text}</li>
      ))}
    </ul>
  );
}

/** One line naming the profile and what it holds; never a secret (the key id is masked). */
function describeProfile(node: ProfileNode): string {
  const holds: string[] = [];
  if (node.staticKeys) holds.push(`keys ${node.staticKeys.accessKeyId || "(no id)"}`);
  if (node.roleArn) holds.push(`role ${node.roleArn.split("/").at(-1) ?? node.roleArn}`);
  if (node.credentialSource) holds.push(`credential_source ${node.credentialSource}`);
  if (node.sso) holds.push("SSO");
  return holds.length > 0 ? `${node.id}: ${holds.join(", ")}` : node.id;
}

/**
 * Chains read in order from their roots (profiles with no source) in a snake of rows; each
 * loop sits below on its own circle, so the cycle is drawn as a cycle.
 */
function positionProfiles(graph: ProfileGraphModel): Map<string, { x: number; y: number }> {
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
