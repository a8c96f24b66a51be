import { describe, expect, it } from "vitest";
import {
  checkSessionNameTemplate,
  compileSessionName,
  DEFAULT_SESSION_NAME_TEMPLATE,
} from "./session-name";

const STS_NAME = /^[\w+=,.@-]{2,64}$/;

describe("checkSessionNameTemplate", () => {
  it.each([
    [DEFAULT_SESSION_NAME_TEMPLATE],
    ["{hop}{hop}"],
    ["fixed-name"],
    [`${"x".repeat(57)}{hop}`],
  ])("accepts %j", (template) => {
    expect(checkSessionNameTemplate(template)).toBeUndefined();
  });

  it.each([
    ["rolechain-{user}", /only \{run\} and \{hop\}/],
    ["role chain {hop}", /only letters, digits/],
    ["rolechain/{hop}", /only letters, digits/],
    [`${"x".repeat(58)}{hop}`, /64-character limit/],
    ["x", /at least 2/],
    ["", /at least 2/],
  ])("refuses %j", (template, rule) => {
    expect(checkSessionNameTemplate(template)).toMatch(rule);
  });
});

describe("compileSessionName", () => {
  it("fills in the run id and the hop number", () => {
    expect(compileSessionName(DEFAULT_SESSION_NAME_TEMPLATE, "0mirh3k2qx7f1a")(42)).toBe(
      "rolechain-0mirh3k2qx7f1a-42",
    );
  });

  it("shortens the run id, never the hop, to stay within 64 characters", () => {
    const name = compileSessionName(`${"p".repeat(50)}-{run}-{hop}`, "0mirh3k2qx7f1a")(999_999);
    expect(name).toBe(`${"p".repeat(50)}-0mirh-999999`);
    expect(name).toMatch(STS_NAME);
  });

  it.each([0, 1, 1_000_000])("keeps hop %i within STS's rule", (hop) => {
    expect(compileSessionName(`${"x".repeat(40)}{run}{hop}`, "0mirh3k2qx7f1a")(hop)).toMatch(
      STS_NAME,
    );
  });
});
