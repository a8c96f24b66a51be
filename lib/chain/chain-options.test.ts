import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateChainRequest } from "./chain-options";
import { startChain } from "./start-chain";

describe("validateChainRequest", () => {
  const huge = "=".repeat(500_000);
  it.each([
    [{ mode: "pingpong", hops: "1".repeat(900_000) }, "Hops"],
    [{ mode: "linear", durationSeconds: "9".repeat(900_000) }, "DurationSeconds"],
    [{ mode: "linear", intervalMs: "x".repeat(900_000) }, "Interval between hops (ms)"],
    [{ mode: "linear", sessionTags: "x".repeat(900_000) }, "Session tags"],
    [{ mode: "linear", sessionTags: `${"k".repeat(900_000)}=v` }, "Session tags"],
    [{ mode: "linear", sessionTags: "a=b", transitiveTagKeys: huge }, "Transitive tag keys"],
  ])("cuts a huge input short in its message: %#", (input, field) => {
    const result = validateChainRequest(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe(field);
    expect(result.error.message.length).toBeLessThan(300);
  });

  it("fills defaults for a linear chain", () => {
    expect(validateChainRequest({ mode: "linear" })).toEqual({
      ok: true,
      value: {
        mode: "linear",
        hops: 100,
        path: "/rolechain/",
        prefix: "rolechain-",
        options: {
          verify: true,
          sessionNameTemplate: "rolechain-{run}-{hop}",
          intervalMs: 0,
          sessionTags: [],
          transitiveTagKeys: [],
          retryChainedDurationAt3600: false,
        },
      },
    });
  });

  it("reads what the form sends: digits, empty optional fields, checkbox values", () => {
    const result = validateChainRequest({
      mode: "pingpong",
      hops: "1000000",
      sessionNameTemplate: "",
      durationSeconds: "",
      intervalMs: "",
      verify: false,
      sessionTags: "team=platform\n\ncity = Zürich-東京",
      transitiveTagKeys: "city",
      sourceIdentity: "",
      retryChainedDurationAt3600: "on",
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        hops: 1_000_000,
        options: {
          verify: false,
          sessionNameTemplate: "rolechain-{run}-{hop}",
          intervalMs: 0,
          sessionTags: [
            { Key: "team", Value: "platform" },
            { Key: "city", Value: "Zürich-東京" },
          ],
          transitiveTagKeys: ["city"],
          retryChainedDurationAt3600: true,
        },
      },
    });
    if (result.ok) expect(result.value.options.durationSeconds).toBeUndefined();
  });

  it.each([
    [{ mode: "circular" }, "Chain mode", /Linear, Ping-pong or Profiles/],
    [{ mode: "linear", hops: 0 }, "Hops", /from 1 to 1,000,000; got 0/],
    [{ mode: "linear", hops: -1 }, "Hops", /from 1 to 1,000,000/],
    [{ mode: "pingpong", hops: 1e9 }, "Hops", /from 1 to 1,000,000/],
    [{ mode: "pingpong", hops: "many" }, "Hops", /got "many"/],
    [{ mode: "linear", path: "no-slash" }, "Role path", /start and end/],
    [{ mode: "linear", prefix: "bad prefix" }, "Role name prefix", /only letters/],
    [{ mode: "linear", durationSeconds: 899 }, "DurationSeconds", /900 to 43,200/],
    [{ mode: "linear", durationSeconds: "1h" }, "DurationSeconds", /whole number/],
    [{ mode: "linear", intervalMs: -5 }, "Interval between hops (ms)", /0 to 600,000/],
    [{ mode: "linear", sessionNameTemplate: "a b {hop}" }, "Session name template", /only letters/],
    [{ mode: "linear", sessionNameTemplate: "{who}" }, "Session name template", /\{who\}/],
    [{ mode: "linear", sessionTags: "novalue" }, "Session tags", /key=value/],
    [{ mode: "linear", sessionTags: "a=1\nA=2" }, "Session tags", /repeat the key "A"/],
    [{ mode: "linear", sessionTags: "a=1", transitiveTagKeys: "b" }, "Transitive tag keys", /"b"/],
    [{ mode: "linear", sourceIdentity: "x" }, "Source identity", /2-64/],
    [{ mode: "linear", verify: "maybe" }, "Verify each hop", /on or off/],
    [{ mode: "profiles", profile: " " }, "Profile", /required/],
  ])("refuses %j naming %s", (input, field, message) => {
    const result = validateChainRequest(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe(field);
    expect(result.error.message.startsWith(field)).toBe(true);
    expect(result.error.message).toMatch(message);
  });
});

describe("startChain with profile files", () => {
  const saved = process.env.ROLECHAIN_TARGET;
  // A target that cannot start: reaching getTarget would throw instead of refusing.
  beforeEach(() => {
    process.env.ROLECHAIN_TARGET = "no-such-target";
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ROLECHAIN_TARGET;
    else process.env.ROLECHAIN_TARGET = saved;
  });

  it("C01: refuses a three-profile loop at once, naming it in order, before any run", async () => {
    const config = [
      "[profile andy]",
      "role_arn = arn:aws:iam::111122223333:role/r-andy",
      "source_profile = prod",
      "[profile prod]",
      "role_arn = arn:aws:iam::111122223333:role/r-prod",
      "source_profile = dev",
      "[profile dev]",
      "role_arn = arn:aws:iam::111122223333:role/r-dev",
      "source_profile = andy",
    ].join("\n");
    const result = await startChain({ mode: "profiles", profile: "andy", config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe("Profile");
    expect(result.error.message).toContain("andy -> prod -> dev -> andy");
  });

  it("C03: refuses source_profile with credential_source, naming both keys", async () => {
    const config = [
      "[profile both]",
      "role_arn = arn:aws:iam::111122223333:role/target",
      "source_profile = base",
      "credential_source = Environment",
      "[profile base]",
      "aws_access_key_id = AKIAEXAMPLEBASE00001",
      "aws_secret_access_key = made-up-secret-2",
    ].join("\n");
    const result = await startChain({ mode: "profiles", profile: "both", config });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe("Profile");
    expect(result.error.message).toContain('"both"');
    expect(result.error.message).toContain("source_profile");
    expect(result.error.message).toContain("credential_source");
    expect(result.error.message).not.toContain("made-up-secret-2");
  });

  it("points a malformed file at its text area with the line number", async () => {
    const result = await startChain({
      mode: "profiles",
      profile: "x",
      config: "[profile x]\nrole_arn\n",
    });
    expect(result).toMatchObject({ ok: false, error: { field: "AWS config" } });
    if (!result.ok) expect(result.error.message).toMatch(/line 2/);
  });
});
