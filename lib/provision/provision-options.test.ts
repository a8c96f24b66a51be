import { describe, expect, it } from "vitest";
import { validateProvisionOptions, validateRoleSetOptions } from "./provision-options";

const HUGE = "9".repeat(900_000);

describe("validateProvisionOptions", () => {
  it.each([
    [{ count: HUGE }, "Number of roles"],
    [{ count: "x".repeat(900_000) }, "Number of roles"],
    [{ count: 5, prefix: "a".repeat(900_000) }, "Role name prefix"],
  ])("cuts a huge input short in its message: %#", (input, field) => {
    const result = validateProvisionOptions(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe(field);
    expect(result.error.message.length).toBeLessThan(300);
    expect(result.error.message).toMatch(/…" \(900,00\d characters\)/);
  });

  it("fills the form's defaults", () => {
    expect(validateProvisionOptions({})).toEqual({
      ok: true,
      value: { count: 101, path: "/rolechain/", prefix: "rolechain-", maxSessionDuration: 3600 },
    });
  });

  it("accepts the digits a form sends", () => {
    const result = validateProvisionOptions({ count: " 250 ", path: "/a/b/", prefix: "x.y@z-" });
    expect(result).toMatchObject({ ok: true, value: { count: 250, path: "/a/b/" } });
  });

  it.each([
    [{ count: 0 }, "Number of roles", /whole number from 1 to 1,000; got 0/],
    [{ count: -1 }, "Number of roles", /from 1 to 1,000/],
    [{ count: 1e9 }, "Number of roles", /from 1 to 1,000/],
    [{ count: "ten" }, "Number of roles", /got "ten"/],
    [{ count: "1.5" }, "Number of roles", /whole number/],
    [{ count: "" }, "Number of roles", /whole number/],
    [{ path: "rolechain" }, "Role path", /start and end with "\/"/],
    [{ path: "/role chain/" }, "Role path", /without spaces/],
    [{ path: `/${"a".repeat(511)}/` }, "Role path", /at most 512/],
    [{ path: "" }, "Role path", /start and end/],
    [{ prefix: "role chain" }, "Role name prefix", /only letters, digits/],
    [{ prefix: "röle-" }, "Role name prefix", /only letters, digits/],
    [{ prefix: "" }, "Role name prefix", /only letters/],
    [{ prefix: "p".repeat(62), count: 101 }, "Role name prefix", /64-character/],
    [{ maxSessionDuration: 899 }, "Maximum session duration", /3,600 to 43,200/],
  ])("refuses %j naming %s", (input, field, message) => {
    const result = validateProvisionOptions(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe(field);
    expect(result.error.message).toMatch(message);
  });

  it("allows a 61-character prefix for 101 roles (64 with the index)", () => {
    expect(validateProvisionOptions({ prefix: "p".repeat(61), count: 101 }).ok).toBe(true);
  });
});

describe("validateRoleSetOptions", () => {
  it("needs only path and prefix", () => {
    expect(validateRoleSetOptions({ path: "/", prefix: "r-" })).toEqual({
      ok: true,
      value: { path: "/", prefix: "r-" },
    });
  });
});
