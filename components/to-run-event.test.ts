import { describe, expect, it } from "vitest";
import { toRunEvent } from "./to-run-event";

describe("toRunEvent", () => {
  it("takes a whole RunEvent from the data line as is", () => {
    const event = { seq: 42, runId: "r1", type: "status", data: { status: "completed" } };
    expect(
      toRunEvent("r1", { type: "status", data: JSON.stringify(event), lastEventId: "42" }),
    ).toEqual(event);
  });

  it("wraps bare event data with the id and type of the SSE message", () => {
    expect(
      toRunEvent("r1", {
        type: "progress",
        data: '{"phase":"provision","done":3}',
        lastEventId: "7",
      }),
    ).toEqual({ seq: 7, runId: "r1", type: "progress", data: { phase: "provision", done: 3 } });
  });

  it("ignores an event type it does not know", () => {
    expect(toRunEvent("r1", { type: "message", data: "{}", lastEventId: "3" })).toBeNull();
  });

  it.each([
    { data: "not json", lastEventId: "1" },
    { data: '{"phase":"provision"}', lastEventId: "" },
    { data: '{"phase":"provision"}', lastEventId: "x" },
    { data: '{"phase":"provision"}', lastEventId: "-1" },
  ])("ignores a message it cannot place: $data / id $lastEventId", (message) => {
    expect(toRunEvent("r1", { type: "progress", ...message })).toBeNull();
  });
});
