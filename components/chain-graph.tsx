"use client";

import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  type Node,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from "@xyflow/react";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { layoutGraph, type NodePosition } from "@/lib/graph/layout";
import type { GraphModel } from "@/lib/graph/types";
import { COUNT_EDGE_TYPES } from "./count-edge";
import { sidesFor } from "./edge-sides";
import { findNode } from "./find-node";
import { IDENTITY_NODE_TYPES } from "./identity-node";

/** Every node has a fixed size, so React Flow can cull and fit without measuring first. */
export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 34;
/** Up to this many identities the whole graph is kept in view; beyond, the view follows. */
const FIT_ALL_LIMIT = 16;

export interface ChainGraphProps {
  graph: GraphModel;
}

/**
 * The live graph of a run in a region named `Chain graph`: one node per identity, one edge per
 * transition labelled with its count, the current identity highlighted and followed. The
 * parent hands it a new model at most once per animation frame.
 */
export function ChainGraph({ graph }: ChainGraphProps) {
  return (
    <section aria-label="Chain graph" className="chain-graph">
      <ReactFlowProvider>
        <ChainGraphCanvas graph={graph} />
      </ReactFlowProvider>
    </section>
  );
}

function ChainGraphCanvas({ graph }: ChainGraphProps) {
  const flow = useReactFlow();
  const [follow, setFollow] = useState(true);
  const [found, setFound] = useState<string | null>(null);
  const [findMessage, setFindMessage] = useState("");
  const cache = useRef(new Map<string, { signature: string; node: Node }>());
  const fittedCount = useRef(0);

  const positions = useMemo(() => layoutGraph(graph), [graph]);
  const nodes = useMemo(
    () => toFlowNodes(graph, positions, found, cache.current),
    [graph, positions, found],
  );
  const edgeCache = useRef(new Map<string, { signature: string; edge: Edge }>());
  const edges = useMemo(() => toFlowEdges(graph, positions, edgeCache.current), [graph, positions]);

  useEffect(() => {
    if (!follow || graph.nodes.length === 0) return;
    if (graph.nodes.length <= FIT_ALL_LIMIT) {
      if (fittedCount.current === graph.nodes.length) return;
      fittedCount.current = graph.nodes.length;
      void flow.fitView({ padding: 0.25, maxZoom: 1.2 });
      return;
    }
    const at = positions.get(graph.current);
    // Re-centre only when the newest identity nears the edge of the view: moving the view on
    // every hop would remount the nodes at its edges on every frame.
    if (at && !isInMiddle(flow, at)) centreOn(flow, at, Math.max(flow.getZoom(), 0.6));
  }, [follow, graph, positions, flow]);

  const onFind = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query = String(new FormData(event.currentTarget).get("find") ?? "").trim();
    if (!query) return;
    const match = findNode(graph.nodes, query);
    const at = match ? positions.get(match.id) : undefined;
    if (!match || !at) {
      setFound(null);
      setFindMessage(`No identity matches “${query}”.`);
      return;
    }
    setFollow(false);
    setFound(match.id);
    setFindMessage(`Showing ${match.label}.`);
    centreOn(flow, at, 0.8);
  };

  return (
    <>
      <div className="graph-bar">
        <span data-testid="graph-counts">
          {graph.nodes.length} identities · {graph.edges.length} transitions ·{" "}
          {graph.hops.toLocaleString("en-US")} hops
        </span>
        <label className="checkbox" style={{ margin: 0 }}>
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => setFollow(event.target.checked)}
          />
          Follow newest hop
        </label>
        <search aria-label="Find a role">
          <form onSubmit={onFind} className="row">
            <label htmlFor="find-role" className="sr-only">
              Find role
            </label>
            <input id="find-role" name="find" placeholder="Find role" size={16} />
            <button type="submit" className="secondary">
              Find
            </button>
            <span role="status" className="muted">
              {findMessage}
            </span>
          </form>
        </search>
      </div>
      <div className="graph-canvas">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={IDENTITY_NODE_TYPES}
          edgeTypes={COUNT_EDGE_TYPES}
          onlyRenderVisibleElements
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          minZoom={0.05}
          maxZoom={2}
          fitView
          fitViewOptions={{ padding: 0.25, maxZoom: 1.2 }}
          onMoveStart={(event) => {
            // A person panning or zooming takes over the view; programmatic moves have no event.
            if (event) setFollow(false);
          }}
        >
          <Background gap={24} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </>
  );
}

/** True when the node sits inside the middle 60% of the visible pane. */
function isInMiddle(flow: ReturnType<typeof useReactFlow>, at: NodePosition): boolean {
  const pane = document.querySelector<HTMLElement>(".chain-graph .react-flow");
  if (!pane) return false;
  const { x, y, zoom } = flow.getViewport();
  const left = (at.x + NODE_WIDTH / 2) * zoom + x;
  const top = (at.y + NODE_HEIGHT / 2) * zoom + y;
  const { clientWidth: width, clientHeight: height } = pane;
  return left > width * 0.2 && left < width * 0.8 && top > height * 0.2 && top < height * 0.8;
}

function centreOn(flow: ReturnType<typeof useReactFlow>, at: NodePosition, zoom: number): void {
  void flow.setCenter(at.x + NODE_WIDTH / 2, at.y + NODE_HEIGHT / 2, { zoom, duration: 0 });
}

/**
 * React Flow re-renders a node whose object changed; reuse the previous object when nothing
 * visible about it changed, so a hop touches two nodes, not a thousand.
 */
function toFlowNodes(
  graph: GraphModel,
  positions: Map<string, NodePosition>,
  found: string | null,
  cache: Map<string, { signature: string; node: Node }>,
): Node[] {
  const nodes: Node[] = [];
  for (const model of graph.nodes) {
    const at = positions.get(model.id) ?? { x: 0, y: 0 };
    const current = model.id === graph.current;
    const signature = [at.x, at.y, current, model.failed, model.id === found, model.label].join();
    const cached = cache.get(model.id);
    if (cached?.signature === signature) {
      nodes.push(cached.node);
      continue;
    }
    const classes = ["rc-node", `rc-${model.kind}`];
    if (current) classes.push("rc-current");
    if (model.failed) classes.push("rc-failed");
    if (model.id === found) classes.push("rc-found");
    const node: Node = {
      id: model.id,
      type: "identity",
      position: at,
      data: { label: model.label },
      className: classes.join(" "),
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      ariaLabel: `${model.label}${current ? " (current)" : ""}${model.failed ? " (failed)" : ""}`,
      domAttributes: { title: model.id },
    };
    cache.set(model.id, { signature, node });
    nodes.push(node);
  }
  return nodes;
}

function toFlowEdges(
  graph: GraphModel,
  positions: Map<string, NodePosition>,
  cache: Map<string, { signature: string; edge: Edge }>,
): Edge[] {
  const ids = new Set(graph.edges.map((edge) => edge.id));
  return graph.edges.map((model) => {
    const newest = model.lastHop === graph.lastHop;
    const from = positions.get(model.source) ?? { x: 0, y: 0 };
    const to = positions.get(model.target) ?? { x: 0, y: 0 };
    const reverse = ids.has(`${model.target}->${model.source}`);
    const sides = sidesFor(from, to, reverse);
    const signature = [model.count, model.errors, newest, sides.sourceHandle, sides.targetHandle];
    const cacheKey = signature.join();
    const cached = cache.get(model.id);
    if (cached?.signature === cacheKey) return cached.edge;
    const failed = model.errors > 0;
    const edge: Edge = {
      id: model.id,
      type: "count",
      source: model.source,
      target: model.target,
      ...sides,
      label: failed ? `${model.count} (${model.errors} failed)` : String(model.count),
      data: { count: model.count, errors: model.errors },
      markerEnd: { type: MarkerType.ArrowClosed },
      animated: newest,
      style: failed ? { stroke: "#b42318" } : undefined,
    };
    cache.set(model.id, { signature: cacheKey, edge });
    return edge;
  });
}
