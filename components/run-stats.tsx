"use client";

import { useEffect, useState } from "react";
import type { GraphModel } from "@/lib/graph/types";
import type { HopRecord, RunSummary } from "@/lib/runs/types";
import { findLast, formatDuration, formatMs, percentile } from "./run-figures";

/** Latency percentiles are taken over this many newest hops. */
const LATENCY_WINDOW = 200;

export interface RunStatsProps {
  summary: RunSummary | null;
  graph: GraphModel;
  recent: HopRecord[];
}

/** The run's figures: hops, rate, latency, elapsed time, who we are, how long until expiry. */
export function RunStats({ summary, graph, recent }: RunStatsProps) {
  // Ticks even after the run ends: the current credentials keep expiring.
  const now = useNow(1000);
  const startedAt = summary ? Date.parse(summary.startedAt) : Number.NaN;
  const endedAt = summary?.finishedAt ? Date.parse(summary.finishedAt) : now;
  const elapsedMs = Number.isNaN(startedAt) ? 0 : Math.max(0, endedAt - startedAt);
  const hops = Math.max(graph.hops, summary?.hops ?? 0);
  const rate = elapsedMs > 0 ? hops / (elapsedMs / 1000) : 0;
  const latencies = recent
    .slice(-LATENCY_WINDOW)
    .filter((hop) => hop.status === "ok")
    .map((hop) => hop.latencyMs);
  const current = graph.nodes.find((node) => node.id === graph.current);
  const lastOk = findLast(recent, (hop) => hop.status === "ok");
  const expiresAt = lastOk?.expiration ? Date.parse(lastOk.expiration) : Number.NaN;
  const expiresIn = Number.isNaN(expiresAt) ? null : Math.round((expiresAt - now) / 1000);

  return (
    <dl className="stats" aria-label="Run figures">
      <Stat label="Hops" value={hops.toLocaleString("en-US")} />
      <Stat label="Errors" value={(summary?.errors ?? graph.errors).toLocaleString("en-US")} />
      <Stat label="Hops/s" value={rate.toFixed(1)} />
      <Stat label="Latency p50" value={formatMs(percentile(latencies, 0.5))} />
      <Stat label="Latency p95" value={formatMs(percentile(latencies, 0.95))} />
      <Stat label="Elapsed" value={formatDuration(elapsedMs)} />
      <Stat label="Current identity" value={current?.label ?? "—"} title={current?.id} />
      <Stat
        label="Credentials expire in"
        value={expiresIn === null ? "—" : expiresIn > 0 ? `${expiresIn} s` : "expired"}
      />
    </dl>
  );
}

function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd title={title ?? value}>{value}</dd>
    </div>
  );
}

/** The clock, ticking every `intervalMs`. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
