/**
 * The graph model of a run: identities as nodes, transitions as edges with counts.
 * Pure data, shared by the server (`GET /api/runs/:id/graph`) and the browser.
 */

export interface GraphNode {
  /** The identity's stable key: the role ARN for roles, the caller ARN for the base identity. */
  id: string;
  kind: "base" | "role";
  /** Short name for display (`rolechain-7`, `user/admin`). */
  label: string;
  /** Hop number at which this identity was first reached (-1 for the base). */
  firstHop: number;
  /** How many times this identity was reached (base: 0). */
  visits: number;
  /** True when a hop targeting this node failed last. */
  failed: boolean;
}

export interface GraphEdge {
  /** `${source}->${target}` */
  id: string;
  source: string;
  target: string;
  /** Successful transitions along this edge. */
  count: number;
  /** Failed attempts along this edge. */
  errors: number;
  /** Newest hop number that used this edge. */
  lastHop: number;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node id of the identity the run currently holds ("" before hop 0 succeeds). */
  current: string;
  /** Sequence number of the newest event folded in (0 for none). */
  lastSeq: number;
  /** Newest hop number folded in (-1 for none). */
  lastHop: number;
  hops: number;
  errors: number;
}
