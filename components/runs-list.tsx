"use client";

import Link from "next/link";
import useSWR from "swr";
import type { RunSummary } from "@/lib/runs/types";
import { fetchJson } from "./fetch-json";
import { type FollowedRun, withFollowed } from "./with-followed";

export interface RunsListProps {
  refreshMs?: number;
  followed?: FollowedRun | null;
}

/** Past and live runs, newest first, each linking to its page. */
export function RunsList({ refreshMs = 2000, followed = null }: RunsListProps) {
  const { data, error } = useSWR<RunSummary[]>("/api/runs", fetchJson, {
    refreshInterval: refreshMs,
  });
  return (
    <section className="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {error && (
        <p className="form-error" role="alert">
          Could not load runs: {String((error as Error).message)}
        </p>
      )}
      {data && data.length === 0 && <p className="muted">No runs yet.</p>}
      {data && data.length > 0 && (
        <table className="runs" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Hop records</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {data.map((polled) => {
              const run = withFollowed(polled, followed);
              return (
                <tr key={run.id}>
                  <td>
                    <Link href={`/runs/${run.id}`} className="mono">
                      {run.id}
                    </Link>
                  </td>
                  <td>{typeof run.params.mode === "string" ? run.params.mode : run.kind}</td>
                  <td>{run.status}</td>
                  <td>{run.kind === "chain" ? run.hops.toLocaleString("en-US") : ""}</td>
                  <td title={run.startedAt}>{new Date(run.startedAt).toLocaleTimeString()}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
