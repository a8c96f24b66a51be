"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import type { RunSummary } from "@/lib/runs/types";
import { ChainGraph } from "./chain-graph";
import { describeNotice } from "./describe-notice";
import { HopLog } from "./hop-log";
import { ProgressMeter } from "./progress-meter";
import { RunStats } from "./run-stats";
import { type RunLiveState, useRunStream } from "./use-run-stream";
import { useThrottled } from "./use-throttled";

const READ_MS = 250;

export interface RunViewProps {
  runId: string;
  /** Extra controls beside the status (e.g. `Stop` on the run's own page). */
  actions?: (state: RunLiveState) => ReactNode;
  /** Show a link to the run's own page (on the dashboard). */
  linkToPage?: boolean;
}

/** A chain run, live or finished: status, figures, graph, hop log and export. */
export function RunView({ runId, actions, linkToPage }: RunViewProps) {
  const state = useRunStream(runId);
  return <RunViewBody runId={runId} state={state} actions={actions} linkToPage={linkToPage} />;
}

export function RunViewBody({
  runId,
  state,
  actions,
  linkToPage,
}: RunViewProps & { state: RunLiveState }) {
  const { summary, status, graph, notices, error, loadError } = state;
  const running = status === "running";
  // The graph moves every frame; the log and the figures are read, so 4 updates a second.
  const recent = useThrottled(state.recent, READ_MS);
  // Figures and the hop log read one throttled graph, so their counts change together.
  const figuresGraph = useThrottled(graph, READ_MS);
  const hopCount = figuresGraph.lastHop + 1;
  return (
    <article className="panel" aria-label={`Run ${runId}`}>
      <div className="run-head">
        <h2>{describeRun(runId, summary)}</h2>
        <span className="status" data-status={status ?? "loading"} role="status">
          Status: {status ?? "loading"}
        </span>
        {actions?.(state)}
        <a className="button secondary" href={`/api/runs/${runId}/hops.csv`} download>
          Export CSV
        </a>
        {linkToPage && <Link href={`/runs/${runId}`}>Open run page</Link>}
      </div>
      {loadError && (
        <p className="run-error" role="alert">
          {loadError}
        </p>
      )}
      {error && (
        <div className="run-error" role="alert">
          <strong>{error.code}</strong>: {error.message}
          {error.hint && <p style={{ margin: "4px 0 0" }}>{error.hint}</p>}
        </div>
      )}
      {notices.length > 0 && (
        <div role="log" aria-label="Retry notices">
          {notices.slice(-3).map((notice) => (
            <p className="notice" key={notice.seq}>
              {describeNotice(notice)}
            </p>
          ))}
        </div>
      )}
      {summary && summary.kind !== "chain" ? (
        <ProgressMeter
          label={summary.kind === "teardown" ? "Tear down progress" : "Provision progress"}
          done={state.progress?.done ?? 0}
          total={state.progress?.total ?? 0}
          unit={summary.kind === "teardown" ? "roles deleted" : "roles ready"}
          status={status}
          error={null}
        />
      ) : (
        <>
          <RunStats summary={summary} graph={figuresGraph} recent={recent} />
          <ChainGraph graph={graph} />
          <HopLog key={runId} runId={runId} count={hopCount} recent={recent} live={running} />
        </>
      )}
    </article>
  );
}

function describeRun(runId: string, summary: RunSummary | null): string {
  if (!summary) return `Run ${runId}`;
  const mode = typeof summary.params.mode === "string" ? summary.params.mode : summary.kind;
  const hops = typeof summary.params.hops === "number" ? `, ${summary.params.hops} hops` : "";
  return `Run ${runId} (${mode}${hops})`;
}
