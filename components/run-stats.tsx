"use client";

import { useEffect, useState } from "react";
import type { GraphModel } from "@/lib/graph/types";
import type { HopRecord, RunSummary } from "@/lib/runs/types";
import {
  describeExpiry,
  describeHopRecords,
  findLast,
  formatDuration,
  formatMs,
  percentile,
} from "./run-figures";
import { useHydrated } from "./use-hydrated";

/** Latency percentiles are taken over this many newest hops. */
const LATENCY_WINDOW = 200;

export interface RunStatsProps {
  summary: RunSummary | null;
  graph: GraphModel;
  recent: HopRecord[];
}

/** The run's figures: hops, rate, latency, elapsed time, who we are, how long until expiry. */
export function RunStats({ summary, graph, recent }: RunStatsProps) {
  // Ticks only while the run is live; a finished run shows its credentials' expiry time instead.
  const live = summary?.status === "running";
  const now = useNow(live ? 1000 : null);
  // The server's HTML has no clock of the browser's: time-based figures wait for hydration.
  const hydrated = useHydrated();
  const startedAt = summary ? Date.parse(summary.startedAt) : Number.NaN;
  const endedAt = summary?.finishedAt ? Date.parse(summary.finishedAt) : now;
  const elapsedMs = Number.isNaN(startedAt) ? 0 : Math.max(0, endedAt - startedAt);
  // One source for every count on the page: the folded graph (the summary only before it loads).
  const hops = graph.hops > 0 ? graph.hops : (summary?.hops ?? 0);
  const lastHop = graph.hops > 0 ? graph.lastHop : hops - 1;
  const rate = elapsedMs > 0 ? hops / (elapsedMs / 1000) : 0;
  const latencies = recent
    .slice(-LATENCY_WINDOW)
    .filter((hop) => hop.status === "ok")
    .map((hop) => hop.latencyMs);
  const current = graph.nodes.find((node) => node.id === graph.current);
  const lastOk = findLast(recent, (hop) => hop.status === "ok");
  const expiresAt = lastOk?.expiration ? Date.parse(lastOk.expiration) : Number.NaN;

  return (
    <dl className="stats" aria-label="Run figures">
      <Stat label="Hop records" value={describeHopRecords(hops, lastHop)} />
      <Stat label="Errors" value={(summary?.errors ?? graph.errors).toLocaleString("en-US")} />
      <Stat label="Hops/s" value={hydrated ? rate.toFixed(1) : "—"} />
      <Stat label="Latency p50" value={formatMs(percentile(latencies, 0.5))} />
      <Stat label="Latency p95" value={formatMs(percentile(latencies, 0.95))} />
      <Stat label="Elapsed" value={hydrated ? formatDuration(elapsedMs) : "—"} />
      <Stat label="Current identity" value={current?.label ?? "—"} title={current?.id} wrap />
      <Stat
        label={live ? "Credentials expire in" : "Credentials expire"}
        value={hydrated ? describeExpiry(expiresAt, now, live) : "—"}
      />
    </dl>
  );
}

interface StatProps {
  label: string;
  value: string;
  title?: string;
  /** Long text (identities) wraps instead of being cut off. */
  wrap?: boolean;
}

function Stat({ label, value, title, wrap }: StatProps) {
  return (
    <div>
      <dt>{label}</dt>
      <dd title={title ?? value} className={wrap ? "wrap" : undefined}>
        {value}
      </dd>
    </div>
  );
}

/** The clock, ticking every `intervalMs`; read once more and then still when `null`. */
function useNow(intervalMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (intervalMs === null) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
