"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ChainForm } from "./chain-form";
import { ProvisionForm } from "./provision-form";
import { RunViewBody } from "./run-view";
import { RunsList } from "./runs-list";
import { type InitialRun, useRunStream } from "./use-run-stream";
import { useThrottled } from "./use-throttled";

export interface DashboardProps {
  /** The chain run to show first: `?run=` or the newest chain run. */
  initialChainRunId: string | null;
  initialProvisionRunId: string | null;
  managedRoles: number | null;
  /** The first chain run's summary and graph as the server knew them, shown before any fetch. */
  initialChainRun?: InitialRun | null;
}

/** The dashboard: roles and chain forms on the left, the chain run live on the right. */
export function Dashboard(props: DashboardProps) {
  const { initialChainRunId, initialProvisionRunId, managedRoles, initialChainRun = null } = props;
  const [chainRunId, setChainRunId] = useState(initialChainRunId);
  const run = useRunStream(chainRunId, initialChainRun);
  const liveRef = useRef<HTMLDivElement>(null);
  // The runs table shows the followed run's count at the pace of the run figures (250 ms).
  const hopRecords = useThrottled(run.graph.hops, 250);
  const [started, setStarted] = useState(0);

  // After `Start chain` the run view may be off screen (Options or Profiles open): bring it in.
  useEffect(() => {
    if (started > 0) liveRef.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [started]);

  const onStarted = useCallback((runId: string) => {
    setChainRunId(runId);
    setStarted((count) => count + 1);
    // Keeps the run in view across a reload; Next's router picks up native history calls.
    window.history.replaceState(null, "", `/?run=${encodeURIComponent(runId)}`);
  }, []);

  return (
    <div className="grid">
      <div>
        <ProvisionForm managedRoles={managedRoles} initialRunId={initialProvisionRunId} />
        <ChainForm liveRunId={run.status === "running" ? chainRunId : null} onStarted={onStarted} />
        <RunsList
          followed={chainRunId ? { id: chainRunId, status: run.status, hopRecords } : null}
        />
      </div>
      <div ref={liveRef} className="live-run">
        {chainRunId ? (
          <RunViewBody runId={chainRunId} state={run} linkToPage />
        ) : (
          <section className="panel">
            <h2>No chain yet</h2>
            <p className="muted">
              Provision roles, then start a chain: every hop appears here as it happens.
            </p>
          </section>
        )}
      </div>
    </div>
  );
}
