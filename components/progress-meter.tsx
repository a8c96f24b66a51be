import type { RunError, RunStatus } from "@/lib/runs/types";

export interface ProgressMeterProps {
  label: string;
  done: number;
  total: number;
  /** What is counted, e.g. "roles ready". */
  unit: string;
  status: RunStatus | null;
  error: RunError | null;
  /** Words while the run works and its total is not known yet, e.g. "Listing managed roles…". */
  waiting?: string;
}

/** A progress bar with its counts in words, and the run's end state. */
export function ProgressMeter(props: ProgressMeterProps) {
  const { label, done, total, unit, status, error, waiting } = props;
  const percent = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  const words =
    waiting && total === 0 && (status === null || status === "running")
      ? waiting
      : `${done} of ${total} ${unit}`;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={words}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-label" data-status={status ?? "loading"}>
        {words}
        {status ? ` · ${status}` : ""}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error.code}: {error.message}
          {error.hint ? ` ${error.hint}` : ""}
        </p>
      )}
    </div>
  );
}
