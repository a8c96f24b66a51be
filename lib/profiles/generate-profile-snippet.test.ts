import { describe, expect, it } from "vitest";
import { buildProfileGraph } from "./build-profile-graph";
import { generateProfileSnippet, ProfileSnippetError } from "./generate-profile-snippet";
import { resolveProfileChain } from "./resolve-profile-chain";

const ACCOUNT = "123456789012";
const roles = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    roleName: `rolechain-${i + 1}`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/rolechain/rolechain-${i + 1}`,
  }));

describe("generateProfileSnippet", () => {
  it("chains each profile to the one before, the first to the base profile", () => {
    const snippet = generateProfileSnippet({
      roles: roles(2),
      baseProfile: "base",
      region: "us-east-1",
    });
    expect(snippet).toContain(
      [
        "[profile rolechain-1]",
        `role_arn = arn:aws:iam::${ACCOUNT}:role/rolechain/rolechain-1`,
        "source_profile = base",
        "region = us-east-1",
        "",
        "[profile rolechain-2]",
        `role_arn = arn:aws:iam::${ACCOUNT}:role/rolechain/rolechain-2`,
        "source_profile = rolechain-1",
        "region = us-east-1",
        "",
      ].join("\n"),
    );
    expect(snippet.startsWith("# rolechain: 2 chained profiles")).toBe(true);
    expect(snippet).not.toMatch(/aws_secret_access_key|aws_access_key_id/);
  });

  it("suggests no bare aws CLI command, and warns where some CLIs send chained calls", () => {
    const snippet = generateProfileSnippet({ roles: roles(2), baseProfile: "base" });

    expect(snippet).not.toMatch(/^#.*\baws sts\b/m);
    expect(snippet).toContain("public STS endpoint whatever --endpoint-url says");
  });

  it("round trips: 101 generated profiles plus base keys resolve to 101 hops in order", () => {
    const config = generateProfileSnippet({
      roles: roles(101),
      baseProfile: "base",
      durationSeconds: 900,
    });
    const credentials =
      "[base]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = s\n";
    const result = resolveProfileChain({ config, credentials }, "rolechain-101");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.base).toMatchObject({ kind: "static", profile: "base" });
    expect(result.plan.hops.map((hop) => hop.roleArn)).toEqual(roles(101).map((r) => r.roleArn));
    expect(result.plan.hops.every((hop) => hop.durationSeconds === 900)).toBe(true);
    const graph = buildProfileGraph({ config, credentials });
    expect(graph.problems).toEqual([]);
    expect(graph.warnings).toEqual([]);
    expect(graph.edges).toHaveLength(101);
  });

  it.each([
    ["no roles", { roles: [], baseProfile: "base" }, "roles"],
    ["a base profile with a space", { roles: roles(1), baseProfile: "my base" }, "baseProfile"],
    ["a base profile with a bracket", { roles: roles(1), baseProfile: "a]b" }, "baseProfile"],
    [
      "a role name with a newline",
      { roles: [{ roleName: "a\nb", roleArn: roles(1)[0]?.roleArn ?? "" }], baseProfile: "base" },
      "roleName",
    ],
    ["a role named like the base", { roles: roles(1), baseProfile: "rolechain-1" }, "roleName"],
    ["the same role twice", { roles: [...roles(1), ...roles(1)], baseProfile: "base" }, "roleName"],
    [
      "an ARN that is not a role",
      { roles: [{ roleName: "x", roleArn: "arn:aws:iam::1:user/x" }], baseProfile: "base" },
      "roleArn",
    ],
    [
      "a region with a newline",
      { roles: roles(1), baseProfile: "base", region: "us-east-1\nx = y" },
      "region",
    ],
    [
      "a chained duration over one hour",
      { roles: roles(2), baseProfile: "base", durationSeconds: 7200 },
      "durationSeconds",
    ],
    [
      "a duration under 900",
      { roles: roles(1), baseProfile: "base", durationSeconds: 60 },
      "durationSeconds",
    ],
  ])("refuses %s, naming the field", (_case, options, field) => {
    expect(() => generateProfileSnippet(options)).toThrow(ProfileSnippetError);
    try {
      generateProfileSnippet(options);
    } catch (error) {
      expect(error).toMatchObject({ code: "InvalidSnippetOptions", field });
    }
  });

  it("allows a long duration for a single role, which is not chained", () => {
    const snippet = generateProfileSnippet({
      roles: roles(1),
      baseProfile: "base",
      durationSeconds: 7200,
    });
    expect(snippet).toContain("duration_seconds = 7200");
  });
});
