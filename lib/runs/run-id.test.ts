import { describe, expect, it } from "vitest";
import { createRunIdFactory, isRunId } from "./run-id";

describe("run ids", () => {
  it("are 14 URL-safe characters", () => {
    const id = createRunIdFactory()();
    expect(id).toMatch(/^[0-9a-z]{14}$/);
    expect(encodeURIComponent(id)).toBe(id);
    expect(isRunId(id)).toBe(true);
  });

  it("sort by creation time as strings, even within one millisecond", () => {
    let now = 1_780_000_000_000;
    const clock = () => now;
    const next = createRunIdFactory({ now: clock, randomBytes: () => new Uint8Array(5).fill(255) });
    const ids = [next(), next(), next()];
    now += 5;
    ids.push(next());
    now -= 1_000; // a clock stepping back must not break the order
    ids.push(next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(["", "short", "0MX96MM59HQ913", "0mx96mm59hq91/", "../../etc/passwd", "0mx96mm59hq9133"])(
    "rejects %j as a run id",
    (value) => {
      expect(isRunId(value)).toBe(false);
    },
  );
});
