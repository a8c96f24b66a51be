import { describe, expect, it } from "vitest";
import { shortArn } from "./short-arn";

describe("shortArn", () => {
  it.each([
    ["arn:aws:sts::123456789012:assumed-role/rolechain-7/rolechain-abc-6", "rolechain-7"],
    ["arn:aws:iam::123456789012:role/rolechain/rolechain-7", "rolechain-7"],
    ["arn:aws:iam::123456789012:user/admin", "user/admin"],
    ["not-an-arn", "not-an-arn"],
    ["", ""],
  ])("shows %s as %s", (arn, short) => {
    expect(shortArn(arn)).toBe(short);
  });
});
