"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/app/actions";
import { provisionRoles, teardownRoles } from "@/app/actions";
import { describeTeardown, type RoleSet } from "./describe-teardown";
import { Field, type FieldError, FormError } from "./field";
import { ProgressMeter } from "./progress-meter";
import { useHydrated } from "./use-hydrated";
import { isFinished, useRunStream } from "./use-run-stream";

const LABELS = ["Number of roles", "Role path", "Role name prefix", "Maximum session duration"];

export interface ProvisionFormProps {
  /** Managed roles on the target under the default path and prefix, when known. */
  managedRoles: number | null;
  /** A provisioning or teardown run to show, e.g. after a reload. */
  initialRunId?: string | null;
}

/** Provision N managed roles, or tear them down, with a progress bar fed by the run's events. */
export function ProvisionForm({ managedRoles, initialRunId = null }: ProvisionFormProps) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [error, setError] = useState<FieldError | null>(null);
  const [runId, setRunId] = useState<string | null>(initialRunId);
  /** The role set a pressed `Tear down roles` would delete, until confirmed or cancelled. */
  const [confirming, setConfirming] = useState<RoleSet | null>(null);
  const [pending, startTransition] = useTransition();
  const run = useRunStream(runId);
  const hydrated = useHydrated();
  const working = !hydrated || pending || run.status === "running";
  const kind = run.summary?.kind === "teardown" ? "teardown" : "provision";

  // The managed role count in the header of this form comes from the server: refresh it.
  useEffect(() => {
    if (isFinished(run.status)) router.refresh();
  }, [run.status, router]);

  const submit = (action: (form: FormData) => Promise<ActionResult>) => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    setError(null);
    setConfirming(null);
    startTransition(async () => {
      const result = await action(data);
      if ("error" in result) {
        setError(result.error);
        // The previous run's progress under the new error read as the outcome of this submission.
        setRunId(null);
      } else setRunId(result.runId);
    });
  };

  const askTeardown = () => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    setConfirming({ path: formText(data, "path"), prefix: formText(data, "prefix") });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(provisionRoles);
  };

  const done = run.progress?.done ?? 0;
  const total =
    run.progress?.total ??
    (typeof run.summary?.params.count === "number" ? run.summary.params.count : 0);

  return (
    <section className="panel" aria-labelledby="provision-title">
      <h2 id="provision-title">Roles</h2>
      <p className="muted" data-testid="managed-roles">
        Managed roles on the target: {managedRoles ?? "unknown"}
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <Field
          label="Number of roles"
          id="provision-count"
          name="count"
          defaultValue="101"
          inputMode="numeric"
          error={error}
          help="1 to 1,000. A linear chain of N hops needs N+1 roles."
        />
        <Field
          label="Role path"
          id="provision-path"
          name="path"
          defaultValue="/rolechain/"
          error={error}
        />
        <Field
          label="Role name prefix"
          id="provision-prefix"
          name="prefix"
          defaultValue="rolechain-"
          error={error}
        />
        <Field
          label="Maximum session duration"
          id="provision-max-session"
          name="maxSessionDuration"
          defaultValue="3600"
          inputMode="numeric"
          error={error}
          help="Seconds, 3600 to 43200. Chained hops stay capped at 3600."
        />
        <FormError error={error} labels={LABELS} />
        <div className="row">
          <button type="submit" disabled={working}>
            Provision roles
          </button>
          <button type="button" className="danger" disabled={working} onClick={askTeardown}>
            Tear down roles
          </button>
        </div>
        {confirming && (
          <fieldset className="confirm" aria-label="Confirm tear down">
            <p>{describeTeardown(confirming, managedRoles)}</p>
            <div className="row">
              <button
                type="button"
                className="danger"
                disabled={working}
                onClick={() => submit(teardownRoles)}
              >
                Confirm tear down
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                Cancel
              </button>
            </div>
          </fieldset>
        )}
      </form>
      {runId && (
        <ProgressMeter
          label={kind === "teardown" ? "Tear down progress" : "Provision progress"}
          done={done}
          total={total}
          unit={kind === "teardown" ? "roles deleted" : "roles ready"}
          status={run.status}
          error={run.error}
          waiting={kind === "teardown" ? "Listing managed roles…" : undefined}
        />
      )}
    </section>
  );
}

function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}
