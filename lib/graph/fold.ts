/**
 * Folds run events into the graph model: one node per identity, one edge per distinct
 * transition with counts. Pure and free of server imports: the browser folds the live stream
 * with it and the server folds stored runs with it, so both draw the same graph.
 *
 * Sources: hop 0 starts at the base identity (its `fromArn`); hop N > 0 starts at the identity
 * the run holds, i.e. the role of the newest successful hop, which is hop N-1's role whenever
 * hop N-1 succeeded. Edges and nodes are keyed by role ARN (not assumed-role ARN), so a
 * ping-pong of any length stays 3 nodes and 3 edges.
 */
import type { HopRecord, RunEvent } from "@/lib/runs/types";
import type { GraphEdge, GraphModel, GraphNode } from "./types";

export function emptyGraph(): GraphModel {
  return { nodes: [], edges: [], current: "", lastSeq: 0, lastHop: -1, hops: 0, errors: 0 };
}

/**
 * A mutable fold for speed (O(1) per event). Take `snapshot()` for React or JSON: it copies,
 * so later events never change a snapshot already handed out.
 *
 * @example
 * const folder = new GraphFolder();
 * for (const event of events) folder.apply(event);
 * setGraph(folder.snapshot());
 */
export class GraphFolder {
  readonly #nodes = new Map<string, GraphNode>();
  readonly #edges = new Map<string, GraphEdge>();
  #base = "";
  #current = "";
  #lastSeq = 0;
  #lastHop = -1;
  #hops = 0;
  #errors = 0;

  constructor(start: GraphModel = emptyGraph()) {
    for (const node of start.nodes) {
      this.#nodes.set(node.id, { ...node });
      if (node.kind === "base") this.#base = node.id;
    }
    for (const edge of start.edges) this.#edges.set(edge.id, { ...edge });
    this.#current = start.current;
    this.#lastSeq = start.lastSeq;
    this.#lastHop = start.lastHop;
    this.#hops = start.hops;
    this.#errors = start.errors;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get hops(): number {
    return this.#hops;
  }

  /** Folds one event in; events at or below `lastSeq` are ignored, so replays are harmless. */
  apply(event: RunEvent): this {
    if (event.seq <= this.#lastSeq) return this;
    this.#lastSeq = event.seq;
    if (event.type === "hop") this.#applyHop(event.data);
    return this;
  }

  snapshot(): GraphModel {
    return {
      nodes: [...this.#nodes.values()].map((node) => ({ ...node })),
      edges: [...this.#edges.values()].map((edge) => ({ ...edge })),
      current: this.#current,
      lastSeq: this.#lastSeq,
      lastHop: this.#lastHop,
      hops: this.#hops,
      errors: this.#errors,
    };
  }

  #applyHop(hop: HopRecord): void {
    const ok = hop.status === "ok";
    this.#hops += 1;
    if (!ok) this.#errors += 1;
    this.#lastHop = Math.max(this.#lastHop, hop.hop);

    const source = this.#sourceOf(hop);
    const target = this.#node(hop.roleArn, "role", hop.hop);
    if (ok) {
      target.visits += 1;
      target.failed = false;
      this.#current = target.id;
    } else {
      target.failed = true;
    }

    const id = `${source.id}->${target.id}`;
    let edge = this.#edges.get(id);
    if (!edge) {
      edge = { id, source: source.id, target: target.id, count: 0, errors: 0, lastHop: hop.hop };
      this.#edges.set(id, edge);
    }
    if (ok) edge.count += 1;
    else edge.errors += 1;
    edge.lastHop = Math.max(edge.lastHop, hop.hop);
  }

  #sourceOf(hop: HopRecord): GraphNode {
    if (hop.hop === 0 || this.#current === "") {
      if (!this.#base) this.#base = hop.fromArn;
      return this.#node(this.#base, "base", -1);
    }
    return this.#node(this.#current, "role", hop.hop);
  }

  #node(id: string, kind: GraphNode["kind"], firstHop: number): GraphNode {
    let node = this.#nodes.get(id);
    if (!node) {
      node = { id, kind, label: labelOf(id, kind), firstHop, visits: 0, failed: false };
      this.#nodes.set(id, node);
    }
    return node;
  }
}

/** Immutable convenience form: a new model with `event` folded in. O(graph size) per call. */
export function foldEvent(model: GraphModel, event: RunEvent): GraphModel {
  if (event.seq <= model.lastSeq) return model;
  return new GraphFolder(model).apply(event).snapshot();
}

export function foldEvents(events: Iterable<RunEvent>, start?: GraphModel): GraphModel {
  const folder = new GraphFolder(start);
  for (const event of events) folder.apply(event);
  return folder.snapshot();
}

/**
 * Short display name: a role's name (`rolechain-7`), else the ARN's resource (`user/admin`).
 *
 * @example labelOf("arn:aws:iam::123456789012:role/rolechain/rolechain-7", "role") // "rolechain-7"
 */
export function labelOf(arn: string, kind: GraphNode["kind"]): string {
  const resource = arn.split(":").slice(5).join(":");
  if (!resource) return arn;
  if (kind === "role" && resource.startsWith("role/")) return resource.split("/").at(-1) ?? arn;
  return resource;
}
