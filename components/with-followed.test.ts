import { describe, expect, it } from "vitest";
import type { RunSummary } from "@/lib/runs/types";
import { withFollowed } from "./with-followed";

const polled = { id: "run1", status: "running", hops: 40 } as RunSummary;

describe("withFollowed", () => {
  it.each([
    { name: "another run", followed: { id: "run2", status: "completed", hopRecords: 9 } },
    { name: "no followed run", followed: null },
  ] as const)("leaves the polled row of $name alone", ({ followed }) => {
    expect(withFollowed(polled, followed)).toBe(polled);
  });

  it("shows the page's own count and status for the followed run", () => {
    const row = withFollowed(polled, { id: "run1", status: "completed", hopRecords: 101 });
    expect([row.status, row.hops]).toEqual(["completed", 101]);
  });

  it("keeps the poll's figures while the page is still loading the run", () => {
    const row = withFollowed(polled, { id: "run1", status: null, hopRecords: 0 });
    expect([row.status, row.hops]).toEqual(["running", 40]);
  });
});
