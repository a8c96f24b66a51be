import type { RunSummary } from "@/lib/runs/types";

/** The run the page follows live: its row shows the page's own figures, not a 2 s old poll. */
export interface FollowedRun {
  id: string;
  status: RunSummary["status"] | null;
  /** Hop records in the page's folded graph, the count the figures and graph show. */
  hopRecords: number;
}

/** A polled row, overlaid with the page's live figures when it is the followed run. */
export function withFollowed(run: RunSummary, followed: FollowedRun | null): RunSummary {
  if (!followed || followed.id !== run.id) return run;
  return {
    ...run,
    status: followed.status ?? run.status,
    // Before the page's graph has loaded it has nothing to say: keep the poll's count.
    hops: followed.hopRecords > 0 ? followed.hopRecords : run.hops,
  };
}
