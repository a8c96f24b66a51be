/** Figures of a run for people: percentiles and durations. Pure. */

/** Nearest-rank percentile; NaN for no samples. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const tenths = Math.floor((ms % 1000) / 100);
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m ${String(s).padStart(2, "0")}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}.${tenths} s`;
}

export function findLast<T>(list: T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i];
    if (item !== undefined && test(item)) return item;
  }
  return undefined;
}

/**
 * The hop count for people. Records are numbered from 0, so a 100-hop linear run has 101 records:
 * naming the range keeps "101" from looking like an off-by-one.
 */
export function describeHopRecords(records: number, lastHop: number): string {
  const count = records.toLocaleString("en-US");
  if (records === 0 || lastHop < 0) return count;
  return `${count} (hops 0–${lastHop.toLocaleString("en-US")})`;
}

/**
 * When the newest credentials expire: whole seconds left (floored) while the run is live; the
 * UTC time once it has ended, since a finished run's figures should not keep moving.
 */
export function describeExpiry(expiresAt: number, now: number, live: boolean): string {
  if (Number.isNaN(expiresAt)) return "—";
  if (!live) {
    const time = `${new Date(expiresAt).toISOString().slice(11, 19)} UTC`;
    return expiresAt > now ? `at ${time}` : `expired ${time}`;
  }
  const seconds = Math.floor((expiresAt - now) / 1000);
  return seconds > 0 ? `${seconds} s` : "expired";
}
