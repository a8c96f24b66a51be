import { describe, expect, it } from "vitest";
import {
  describeExpiry,
  describeHopRecords,
  findLast,
  formatDuration,
  formatMs,
  percentile,
} from "./run-figures";

describe("percentile", () => {
  it.each([
    { values: [], p: 0.5, expected: Number.NaN },
    { values: [7], p: 0.95, expected: 7 },
    { values: [5, 1, 4, 2, 3], p: 0.5, expected: 3 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 0.95, expected: 10 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 0.5, expected: 5 },
    { values: [10, 20], p: 0, expected: 10 },
  ])("takes the nearest rank: p$p of $values is $expected", ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it("leaves the samples unsorted", () => {
    const samples = [3, 1, 2];
    percentile(samples, 0.5);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe("formatMs and formatDuration", () => {
  it.each([
    [Number.NaN, "—"],
    [2.345, "2.3 ms"],
    [49.6, "50 ms"],
  ])("formats %s ms as %s", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  it.each([
    [0, "0.0 s"],
    [9_450, "9.4 s"],
    [61_000, "1m 01s"],
    [3_726_000, "1h 02m 06s"],
  ])("formats an elapsed %s ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("findLast", () => {
  it("returns the newest item that passes, or undefined", () => {
    const hops = [
      { ok: true, n: 1 },
      { ok: false, n: 2 },
      { ok: true, n: 3 },
      { ok: false, n: 4 },
    ];
    expect(findLast(hops, (hop) => hop.ok)?.n).toBe(3);
    expect(findLast(hops, () => false)).toBeUndefined();
  });
});

describe("describeHopRecords", () => {
  it.each([
    { records: 0, lastHop: -1, expected: "0" },
    { records: 1, lastHop: 0, expected: "1 (hops 0–0)" },
    { records: 101, lastHop: 100, expected: "101 (hops 0–100)" },
    { records: 1_000_001, lastHop: 1_000_000, expected: "1,000,001 (hops 0–1,000,000)" },
  ])("says $expected for $records records up to hop $lastHop", ({ records, lastHop, expected }) => {
    expect(describeHopRecords(records, lastHop)).toBe(expected);
  });
});

describe("describeExpiry", () => {
  const expiresAt = Date.parse("2026-12-04T18:28:10.000Z");
  it.each([
    { now: expiresAt - 3_600_000, live: true, expected: "3600 s" },
    { now: expiresAt - 3_599_001, live: true, expected: "3599 s" },
    { now: expiresAt - 999, live: true, expected: "expired" },
    { now: expiresAt + 5_000, live: true, expected: "expired" },
    { now: expiresAt - 60_000, live: false, expected: "at 18:28:10 UTC" },
    { now: expiresAt + 60_000, live: false, expected: "expired 18:28:10 UTC" },
  ])("live=$live, $expected", ({ now, live, expected }) => {
    expect(describeExpiry(expiresAt, now, live)).toBe(expected);
  });

  it("says nothing without an expiration", () => {
    expect(describeExpiry(Number.NaN, 0, true)).toBe("—");
  });
});
