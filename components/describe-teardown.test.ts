import { describe, expect, it } from "vitest";
import { describeTeardown } from "./describe-teardown";

describe("describeTeardown", () => {
  it.each([
    {
      set: { path: "/rolechain/", prefix: "rolechain-" },
      managed: 101,
      expected: 'Delete 101 managed roles under /rolechain/ with prefix "rolechain-"?',
    },
    {
      set: { path: "/rolechain/", prefix: "rolechain-" },
      managed: 1,
      expected: 'Delete 1 managed role under /rolechain/ with prefix "rolechain-"?',
    },
    {
      set: { path: "/rolechain/", prefix: "rolechain-" },
      managed: null,
      expected: 'Delete every managed role under /rolechain/ with prefix "rolechain-"?',
    },
    {
      // The page counts only the default role set; another set's count is not known here.
      set: { path: "/team/", prefix: "rc-" },
      managed: 101,
      expected: 'Delete every managed role under /team/ with prefix "rc-"?',
    },
  ])("asks: $expected", ({ set, managed, expected }) => {
    expect(describeTeardown(set, managed)).toBe(expected);
  });
});
