import { describe, expect, it } from "vitest";
import { maskAccessKeyId } from "./mask-access-key-id";

describe("maskAccessKeyId", () => {
  it.each([
    ["ASIAABCDEFGHIJKLWXYZ", "ASIA…WXYZ"],
    ["AKIAEXAMPLEDEV000001", "AKIA…0001"],
    ["short", "…"],
    ["", ""],
    [undefined, ""],
  ])("masks %j as %j", (input, masked) => {
    expect(maskAccessKeyId(input)).toBe(masked);
  });
});
