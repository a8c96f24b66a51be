import { describe, expect, it } from "vitest";
import { describeNotice } from "./describe-notice";

describe("describeNotice", () => {
  it("says which hop is retried, which attempt, when and why", () => {
    expect(
      describeNotice({
        phase: "retry",
        hop: 4,
        attempt: 2,
        delayMs: 180.4,
        errorCode: "Throttling",
      }),
    ).toBe("Retrying hop 4 (attempt 2) in 180 ms after Throttling");
  });

  it("adds the engine's own words when it gives them", () => {
    expect(
      describeNotice({
        phase: "retry",
        hop: 1,
        attempt: 2,
        errorCode: "ValidationError",
        message: "retrying at 3600 seconds",
      }),
    ).toBe("Retrying hop 1 (attempt 2) after ValidationError: retrying at 3600 seconds");
  });

  it("shows a notice's message as is", () => {
    expect(describeNotice({ phase: "notice", message: "role not yet assumable" })).toBe(
      "role not yet assumable",
    );
  });
});
