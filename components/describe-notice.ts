import type { ProgressData } from "@/lib/runs/types";

/** Retry and notice events in plain words. */
export function describeNotice(notice: ProgressData): string {
  if (notice.phase === "retry") {
    const after = notice.delayMs !== undefined ? ` in ${Math.round(notice.delayMs)} ms` : "";
    const why = notice.errorCode ? ` after ${notice.errorCode}` : "";
    const extra = notice.message ? `: ${notice.message}` : "";
    return `Retrying hop ${notice.hop ?? "?"} (attempt ${notice.attempt ?? "?"})${after}${why}${extra}`;
  }
  return notice.message ?? "Notice";
}
