"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { HopRecord } from "@/lib/runs/types";
import { fetchJson, toHopPage } from "./fetch-json";
import { shortArn } from "./short-arn";

const ROW_HEIGHT = 28;
const PAGE_SIZE = 100;
/** Pages kept in memory; the farthest from the view are dropped first. */
const PAGES_KEPT = 30;
/** An incomplete page (the live tail) is fetched again at most this often. */
const TAIL_REFRESH_MS = 1000;

interface Page {
  rows: HopRecord[];
  fetchedAt: number;
}

export interface HopLogProps {
  runId: string;
  /** Hop numbers run 0..count-1. */
  count: number;
  /** The newest hops, already in the browser from the event stream. */
  recent: HopRecord[];
  live: boolean;
}

/**
 * The hop log as a table named `Hop log`: virtualized rows, fetched a page at a time from
 * `/api/runs/:id/hops`, with the newest hops taken from the live stream. The browser never
 * holds more than a few thousand rows however long the run. Give it `key={runId}`: a new run
 * starts from an empty page cache.
 */
export function HopLog({ runId, count, recent, live }: HopLogProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, Page>());
  const inFlight = useRef(new Set<number>());
  const [, pageArrived] = useReducer((n: number) => n + 1, 0);
  const [follow, setFollow] = useState(true);

  const recentByHop = useMemo(() => new Map(recent.map((hop) => [hop.hop, hop])), [recent]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    // Straight to the bottom: cheaper than the virtualizer's scrollToIndex, which measures.
    const box = scrollRef.current;
    if (follow && live && count > 0 && box) box.scrollTop = box.scrollHeight;
  }, [follow, live, count]);

  useEffect(() => {
    if (lastIndex < 0) return;
    const now = Date.now();
    const wanted = new Set<number>();
    for (let index = firstIndex; index <= lastIndex; index++) {
      if (!recentByHop.has(index)) wanted.add(Math.floor(index / PAGE_SIZE));
    }
    for (const pageIndex of wanted) {
      const page = pages.current.get(pageIndex);
      const complete = page && page.rows.length === PAGE_SIZE;
      const fresh = page && now - page.fetchedAt < TAIL_REFRESH_MS;
      if (complete || fresh || inFlight.current.has(pageIndex)) continue;
      inFlight.current.add(pageIndex);
      const after = pageIndex * PAGE_SIZE - 1;
      fetchJson<unknown>(`/api/runs/${runId}/hops?after=${after}&limit=${PAGE_SIZE}`)
        .then((body) => {
          pages.current.set(pageIndex, { rows: toHopPage<HopRecord>(body), fetchedAt: Date.now() });
          evictFarPages(pages.current, Math.floor(firstIndex / PAGE_SIZE));
        })
        .catch((error: unknown) => {
          // The row stays "loading"; the next scroll or tick asks again.
          console.warn("hop page failed", { runId, pageIndex, error });
        })
        .finally(() => {
          inFlight.current.delete(pageIndex);
          pageArrived();
        });
    }
  });

  const rowAt = (index: number): HopRecord | undefined => {
    const fromStream = recentByHop.get(index);
    if (fromStream) return fromStream;
    const page = pages.current.get(Math.floor(index / PAGE_SIZE));
    return page?.rows.find((row) => row.hop === index);
  };

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div>
      <div className="row" style={{ justifyContent: "space-between", marginBottom: 6 }}>
        <h3 style={{ margin: 0, fontSize: 14 }}>Hops</h3>
        <label className="checkbox" style={{ margin: 0 }}>
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => setFollow(event.target.checked)}
          />
          Follow newest hop in the log
        </label>
      </div>
      <div
        className="table-scroll"
        ref={scrollRef}
        onScroll={(event) => {
          // Scrolling away from the newest row pauses following; scrolling back resumes it.
          const box = event.currentTarget;
          setFollow(box.scrollTop + box.clientHeight >= box.scrollHeight - ROW_HEIGHT * 2);
        }}
      >
        <table className="hop-log" aria-label="Hop log" aria-rowcount={count + 1}>
          <colgroup>
            <col style={{ width: 60 }} />
            <col />
            <col />
            <col style={{ width: 80 }} />
            <col style={{ width: 190 }} />
            <col style={{ width: 64 }} />
            <col />
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Hop</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Latency</th>
              <th scope="col">Expiration</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && <Spacer height={paddingTop} />}
            {items.map((item) => (
              <HopRow key={item.index} index={item.index} hop={rowAt(item.index)} />
            ))}
            {paddingBottom > 0 && <Spacer height={paddingBottom} />}
          </tbody>
        </table>
        {count === 0 && (
          <p className="muted" style={{ padding: 8 }}>
            No hops yet.
          </p>
        )}
      </div>
    </div>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tr>
      <td colSpan={7} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

function HopRow({ index, hop }: { index: number; hop: HopRecord | undefined }) {
  if (!hop) {
    return (
      <tr aria-rowindex={index + 2}>
        <td>{index}</td>
        <td colSpan={6} className="muted">
          loading…
        </td>
      </tr>
    );
  }
  const failed = hop.status === "error";
  const error = failed ? `${hop.errorCode}: ${hop.errorMessage}` : "";
  return (
    <tr aria-rowindex={index + 2} className={failed ? "hop-error" : undefined}>
      <td>
        {hop.hop}
        {hop.attempts > 1 ? ` (×${hop.attempts})` : ""}
      </td>
      <td title={hop.fromArn}>{shortArn(hop.fromArn)}</td>
      <td title={hop.toArn || hop.roleArn}>{shortArn(hop.toArn || hop.roleArn)}</td>
      <td>{Math.round(hop.latencyMs)} ms</td>
      <td>{hop.expiration}</td>
      <td>{hop.status}</td>
      <td title={[error, hop.hint].filter(Boolean).join(" — ")}>
        {error}
        {hop.hint ? <span className="hint"> — {hop.hint}</span> : null}
      </td>
    </tr>
  );
}

function evictFarPages(pages: Map<number, Page>, near: number): void {
  if (pages.size <= PAGES_KEPT) return;
  const byDistance = [...pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
  for (const pageIndex of byDistance.slice(0, pages.size - PAGES_KEPT)) pages.delete(pageIndex);
}
