/**
 * Files a careless or hostile user pastes: megabytes of sections, ten thousand profiles in a
 * loop, names like Object's own properties. Each must load or fail with a coded error, never
 * throw, and report a bounded number of warnings.
 */
import { describe, expect, it } from "vitest";
import { buildProfileGraph } from "./build-profile-graph";
import { MAX_REPORTED_WARNINGS, parseAwsFiles } from "./parse-aws-files";
import { MAX_AWS_FILE_BYTES } from "./parse-ini";
import { resolveProfileChain } from "./resolve-profile-chain";

const KEYS =
  "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = not-a-real-secret\n";

function fill(unit: (i: number) => string): string {
  let text = "";
  for (let i = 0; text.length + 64 < MAX_AWS_FILE_BYTES; i += 1) text += unit(i);
  return text;
}

describe("parseAwsFiles on a file of nothing but sections", () => {
  it.each([
    ["the same section again and again", () => fill(() => "[x]\n")],
    ["a different ignored section on every line", () => fill((i) => `[x${i}]\n`)],
    ["a profile redefined on every line", () => fill(() => "[profile a]\n")],
  ])("loads 1 MiB of %s and reports a bounded number of warnings", (_label, make) => {
    const result = parseAwsFiles({ config: make() });
    if (!result.ok) throw new Error(`unexpected parse failure: ${result.error.message}`);
    const { warnings } = result.files;
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(MAX_REPORTED_WARNINGS);
    expect(warnings.at(-1)?.message).toMatch(/\(\d+ more warnings not shown\)$/);
  });

  it("says nothing about hidden warnings when every warning is shown", () => {
    const result = parseAwsFiles({ config: "[x]\n[x]\n" });
    if (!result.ok) throw new Error(`unexpected parse failure: ${result.error.message}`);
    expect(result.files.warnings).toHaveLength(2);
    expect(result.files.warnings.map((w) => w.message).join("\n")).not.toContain("not shown");
  });
});

describe("profile names that are Object's own property names", () => {
  it.each(["__proto__", "hasOwnProperty", "constructor", "toString"])(
    "resolves profile %s like any other name",
    (name) => {
      const result = resolveProfileChain(
        {
          config:
            `[profile ${name}]\nrole_arn = arn:aws:iam::123456789012:role/r\n` +
            `source_profile = ${name}-keys\n`,
          credentials: `[${name}-keys]\n${KEYS}`,
        },
        name,
      );
      expect(result.ok && result.plan.hops.map((hop) => hop.profile)).toEqual([name]);
    },
  );
});

describe("ten thousand profiles in one loop", () => {
  const config = Array.from(
    { length: 10_000 },
    (_, i) =>
      `[profile p${i}]\nrole_arn = arn:aws:iam::123456789012:role/r${i}\n` +
      `source_profile = p${(i + 1) % 10_000}\n`,
  ).join("");

  it("is named as a loop without a single AssumeRole", () => {
    const result = resolveProfileChain({ config }, "p0");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("ProfileLoop");
    expect(result.error.loop?.length).toBe(10_001);
    // The whole loop is in `loop`; the sentence a person reads stays a sentence.
    expect(result.error.message.length).toBeLessThan(400);
    expect(result.error.message).toContain("p0 -> p1 -> ");
    expect(result.error.message).toContain("-> p9999 -> p0");
    expect(result.error.message).toContain("10,000 profiles");
  });

  it("names a short loop in full", () => {
    const short =
      "[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::1:role/a\n" +
      "[profile b]\nsource_profile = a\nrole_arn = arn:aws:iam::1:role/b\n";
    const result = resolveProfileChain({ config: short }, "a");
    expect(result.ok || result.error.message).toBe(
      'Profile "a" loops: a -> b -> a. No AssumeRole was made.',
    );
  });

  it("is drawn as one loop over every profile", () => {
    const graph = buildProfileGraph({ config });
    expect(graph.loops).toHaveLength(1);
    expect(graph.nodes.every((node) => node.inLoop)).toBe(true);
  });
});
