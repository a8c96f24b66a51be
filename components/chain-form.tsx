"use client";

import { type FormEvent, useRef, useState, useTransition } from "react";
import { startChain, stopRun } from "@/app/actions";
import { CHAIN_OPTION_LABELS, ChainOptions } from "./chain-options";
import { Field, type FieldError, FormError, isErrorFor } from "./field";
import { ProfileInputs } from "./profile-inputs";
import { useHydrated } from "./use-hydrated";

const MODES = [
  { value: "linear", label: "Linear" },
  { value: "pingpong", label: "Ping-pong" },
  { value: "profiles", label: "Profiles" },
] as const;
type Mode = (typeof MODES)[number]["value"];

const LABELS = [
  "Chain mode",
  "Hops",
  "Profile",
  "AWS config",
  "AWS credentials",
  ...CHAIN_OPTION_LABELS,
];

export interface ChainFormProps {
  /** The run this form controls with `Stop`, while it is live. */
  liveRunId: string | null;
  onStarted: (runId: string) => void;
}

/** Start a chain (linear, ping-pong or a profile chain) and stop it while it runs. */
export function ChainForm({ liveRunId, onStarted }: ChainFormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const [mode, setMode] = useState<Mode>("linear");
  const [error, setError] = useState<FieldError | null>(null);
  const [stopping, setStopping] = useState(false);
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setError(null);
    startTransition(async () => {
      const result = await startChain(data);
      if ("error" in result) {
        setError(result.error);
        return;
      }
      setStopping(false);
      onStarted(result.runId);
    });
  };

  const onStop = () => {
    if (!liveRunId) return;
    setStopping(true);
    startTransition(async () => {
      await stopRun(liveRunId);
    });
  };

  const modeInvalid = isErrorFor(error, "Chain mode");
  return (
    <section className="panel" aria-labelledby="chain-title">
      <h2 id="chain-title">Chain</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="chain-mode">Chain mode</label>
          <select
            id="chain-mode"
            name="mode"
            value={mode}
            onChange={(event) => setMode(event.target.value as Mode)}
            disabled={!hydrated}
            aria-invalid={modeInvalid || undefined}
            aria-describedby={modeInvalid ? "chain-mode-error" : undefined}
          >
            {MODES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {modeInvalid && error && (
            <span id="chain-mode-error" className="error" role="alert">
              {error.message}
            </span>
          )}
        </div>
        {mode !== "profiles" && (
          <Field
            label="Hops"
            id="chain-hops"
            name="hops"
            defaultValue="100"
            inputMode="numeric"
            error={error}
            help={
              mode === "linear"
                ? "Hop 0 is the base identity assuming role 1; N hops use N+1 roles."
                : "Base → role 1 → role 2 → role 1 …, up to 1,000,000 hops."
            }
          />
        )}
        <ChainOptions error={error} />
        {mode === "profiles" && <ProfileInputs error={error} />}
        <FormError error={error} labels={LABELS} />
        <div className="row">
          <button
            type="submit"
            disabled={!hydrated || pending || liveRunId !== null}
            aria-describedby={liveRunId ? "start-chain-why" : undefined}
          >
            Start chain
          </button>
          {liveRunId && (
            <button type="button" className="danger" onClick={onStop} disabled={stopping}>
              Stop
            </button>
          )}
          {stopping && liveRunId && (
            <span className="muted">Stopping after the hop in flight…</span>
          )}
          {liveRunId && !stopping && (
            <span id="start-chain-why" className="muted">
              A chain is running: stop it or wait for it to end to start another.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
