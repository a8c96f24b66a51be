"use client";

import { useEffect, useRef, useState } from "react";
import { emptyGraph, GraphFolder } from "@/lib/graph/fold";
import type { GraphModel } from "@/lib/graph/types";
import type {
  HopRecord,
  ProgressData,
  RunError,
  RunStatus,
  RunSummary,
  StatusData,
} from "@/lib/runs/types";
import { fetchJson, toHopPage } from "./fetch-json";
import { toRunEvent } from "./to-run-event";

/** Hops kept in the browser for figures and the live tail of the hop log; never the whole run. */
export const RECENT_HOPS = 500;
const NOTICES_KEPT = 6;
const EVENT_TYPES = ["hop", "progress", "status"] as const;
/**
 * A run with at most this many events is replayed from its first event, so retry notices sent
 * before the page looked (a short run often ends before the page loads it) are still shown.
 * Longer runs follow from the folded graph: their notices show from then on.
 */
const NOTICE_REPLAY_EVENTS = 5000;

/** A retry or notice progress event, with its sequence number as a stable key. */
export type Notice = ProgressData & { seq: number };

export interface RunLiveState {
  summary: RunSummary | null;
  status: RunStatus | null;
  graph: GraphModel;
  /** Newest last; at most RECENT_HOPS. */
  recent: HopRecord[];
  /** Retry and notice progress events, newest last. */
  notices: Notice[];
  /** Latest provision or teardown progress. */
  progress: ProgressData | null;
  error: RunError | null;
  /** Why the run could not be loaded or followed, for a person. */
  loadError: string | null;
}

const initialState = (): RunLiveState => ({
  summary: null,
  status: null,
  graph: emptyGraph(),
  recent: [],
  notices: [],
  progress: null,
  error: null,
  loadError: null,
});

/** What the server already knew when it rendered the page, so the view does not start empty. */
export interface InitialRun {
  summary: RunSummary;
  graph: GraphModel;
}

/** The state to show first: the server's summary and graph when they are this run's. */
function seedState(runId: string | null, initial: InitialRun | null): RunLiveState {
  const state = initialState();
  if (!runId || initial?.summary.id !== runId || initial.summary.kind !== "chain") return state;
  return {
    ...state,
    summary: initial.summary,
    status: initial.summary.status,
    error: initial.summary.error,
    graph: initial.graph,
  };
}

export function isFinished(status: RunStatus | null): boolean {
  return status !== null && status !== "running";
}

/**
 * Follows one run: loads its summary and server-folded graph, seeds the recent hops, then (while
 * it runs) follows `/api/runs/:id/events` after the graph's `lastSeq`. Events are folded into
 * mutable state outside React and published at most once per animation frame.
 */
export function useRunStream(
  runId: string | null,
  initial: InitialRun | null = null,
): RunLiveState {
  const [state, setState] = useState<RunLiveState>(() => seedState(runId, initial));
  // Only the first render's seed matters; a later run id starts from its own loads.
  const seed = useRef(initial);

  useEffect(() => {
    setState(seedState(runId, seed.current));
    if (!runId) return;

    let disposed = false;
    let source: EventSource | null = null;
    let frame = 0;
    let folder = new GraphFolder();
    const live = initialState();

    const publish = () => {
      frame = 0;
      if (disposed) return;
      setState({
        ...live,
        graph: folder.snapshot(),
        recent: live.recent.slice(-RECENT_HOPS),
        notices: [...live.notices],
      });
    };
    const schedule = () => {
      if (frame === 0 && !disposed) frame = requestAnimationFrame(publish);
    };

    const refreshSummary = async () => {
      try {
        live.summary = await fetchJson<RunSummary>(`/api/runs/${runId}`);
        live.status = live.summary.status;
        live.error = live.summary.error;
        schedule();
      } catch (error) {
        live.loadError = messageOf(error);
        schedule();
      }
    };

    const onEvent = (message: MessageEvent<string>) => {
      const event = toRunEvent(runId, message);
      if (!event) return;
      if (event.seq <= folder.lastSeq) {
        // Replayed from before the folded graph: only its notices are new to us.
        if (event.type === "progress" && isNotice(event.data)) {
          pushBounded(live.notices, { ...event.data, seq: event.seq }, NOTICES_KEPT);
          schedule();
        } else if (event.type === "status" && isFinished(event.data.status)) {
          source?.close();
        }
        return;
      }
      folder.apply(event);
      if (event.type === "hop") pushBounded(live.recent, event.data, RECENT_HOPS);
      else if (event.type === "progress") applyProgress(live, event.data, event.seq);
      else applyStatus(live, event.data);
      if (event.type === "status" && isFinished(event.data.status)) {
        // The server ends the stream after the final status; without this EventSource would
        // reconnect forever.
        source?.close();
        void refreshSummary();
      }
      schedule();
    };

    const follow = (afterSeq: number) => {
      source = new EventSource(`/api/runs/${runId}/events?lastEventId=${afterSeq}`);
      for (const type of EVENT_TYPES) source.addEventListener(type, onEvent as EventListener);
      source.onerror = () => {
        // CONNECTING means the browser retries by itself with Last-Event-ID; CLOSED is final.
        if (source?.readyState === EventSource.CLOSED && !isFinished(live.status)) {
          live.loadError = "The event stream closed; reload the page to follow the run again.";
          schedule();
          return;
        }
        // A run that ended between our first look and the stream: stop reconnecting.
        void refreshSummary().then(() => {
          if (isFinished(live.status)) source?.close();
        });
      };
    };

    const start = async () => {
      try {
        // Graph first, then summary: a run still running after the graph was read has every
        // later event (its final status included) after the graph's lastSeq.
        let graph = await fetchJson<GraphModel>(`/api/runs/${runId}/graph`);
        const summary = await fetchJson<RunSummary>(`/api/runs/${runId}`);
        if (disposed) return;
        if (summary.kind !== "chain") {
          // Provisioning has no graph; its few progress events replay from the start and the
          // stream closes after the final status.
          live.summary = summary;
          live.status = summary.status === "running" ? "running" : null;
          live.error = summary.error;
          schedule();
          follow(0);
          return;
        }
        if (summary.status !== "running") {
          // It may have ended between the two reads: this graph has every event.
          graph = await fetchJson<GraphModel>(`/api/runs/${runId}/graph`);
        }
        live.summary = summary;
        live.status = summary.status;
        live.error = summary.error;
        folder = new GraphFolder(graph);
        if (graph.lastHop >= 0) {
          const after = Math.max(-1, graph.lastHop - RECENT_HOPS);
          const page = await fetchJson<unknown>(
            `/api/runs/${runId}/hops?after=${after}&limit=${RECENT_HOPS}`,
          );
          if (disposed) return;
          live.recent = toHopPage<HopRecord>(page).slice(-RECENT_HOPS);
        }
        schedule();
        const replay = graph.lastSeq <= NOTICE_REPLAY_EVENTS;
        if (summary.status === "running" || replay) follow(replay ? 0 : graph.lastSeq);
      } catch (error) {
        live.loadError = messageOf(error);
        schedule();
      }
    };
    void start();

    return () => {
      disposed = true;
      source?.close();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [runId]);

  return state;
}

function isNotice(data: ProgressData): boolean {
  return data.phase === "retry" || data.phase === "notice";
}

function applyProgress(live: RunLiveState, data: ProgressData, seq: number): void {
  if (isNotice(data)) {
    pushBounded(live.notices, { ...data, seq }, NOTICES_KEPT);
  } else {
    live.progress = data;
  }
}

function applyStatus(live: RunLiveState, data: StatusData): void {
  live.status = data.status;
  if (data.error !== undefined) live.error = data.error;
  if (live.summary) live.summary = { ...live.summary, status: data.status };
}

/** Appends, trimming in batches so a fast stream does not shift the array on every event. */
function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length >= limit * 2) list.splice(0, list.length - limit);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
