"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { stopRun } from "@/app/actions";
import { RunView } from "./run-view";

/** A run on its own page: the live view plus `Stop` while it runs. */
export function RunPage({ runId }: { runId: string }) {
  const [stopping, setStopping] = useState(false);
  const [, startTransition] = useTransition();
  const onStop = () => {
    setStopping(true);
    startTransition(async () => {
      await stopRun(runId);
    });
  };
  return (
    <>
      <p>
        <Link href="/">← Dashboard</Link>
      </p>
      <RunView
        runId={runId}
        actions={(state) =>
          state.status === "running" ? (
            <button type="button" className="danger" onClick={onStop} disabled={stopping}>
              Stop
            </button>
          ) : null
        }
      />
    </>
  );
}
