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
import { positionProfiles } from "./position-profiles";

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
