import { describe, expect, it } from "vitest";
import { sidesFor } from "./edge-sides";

const at = (x: number, y: number) => ({ x, y });

describe("sidesFor", () => {
  it.each([
    {
      name: "a rightward chain edge",
      from: at(0, 0),
      to: at(220, 0),
      out: "s-right",
      in: "t-left",
    },
    { name: "a leftward chain edge", from: at(220, 0), to: at(0, 0), out: "s-left", in: "t-right" },
    { name: "a row change", from: at(0, 0), to: at(0, 130), out: "s-bottom", in: "t-top" },
    { name: "an upward edge", from: at(0, 130), to: at(0, 0), out: "s-top", in: "t-bottom" },
  ])("routes $name side to side", ({ from, to, out, in: into }) => {
    expect(sidesFor(from, to, false)).toEqual({ sourceHandle: out, targetHandle: into });
  });

  it("splits a ping-pong pair so A->B and B->A never share a path", () => {
    const a = at(-220, 195);
    const b = at(220, 195);
    const there = sidesFor(a, b, true);
    const back = sidesFor(b, a, true);
    expect(there).toEqual({ sourceHandle: "s-bottom", targetHandle: "t-bottom" });
    expect(back).toEqual({ sourceHandle: "s-top", targetHandle: "t-top" });
  });

  it("splits a vertical pair to the right and left", () => {
    expect(sidesFor(at(0, 0), at(0, 200), true).sourceHandle).toBe("s-right");
    expect(sidesFor(at(0, 200), at(0, 0), true).sourceHandle).toBe("s-left");
  });
});
