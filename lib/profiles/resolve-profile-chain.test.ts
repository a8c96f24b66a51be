import { describe, expect, it } from "vitest";
import { parseAwsFiles } from "./parse-aws-files";
import { resolveProfileChain } from "./resolve-profile-chain";
import type { AwsFileTexts, ProfileChainResult } from "./types";

const ARN = "arn:aws:iam::111122223333:role";
/** A role profile section sourced from `source`. */
const role = (name: string, source: string) =>
  `[profile ${name}]\nrole_arn = ${ARN}/${name}\nsource_profile = ${source}\n`;

function planOf(result: ProfileChainResult) {
  if (!result.ok)
    throw new Error(`expected a plan, got ${result.error.code}: ${result.error.message}`);
  return result.plan;
}

function errorOf(result: ProfileChainResult) {
  if (result.ok) throw new Error(`expected an error, got ${result.plan.hops.length} hops`);
  return result.error;
}

describe("resolveProfileChain: the shared cases", () => {
  const c01 = [
    "[profile andy]",
    `role_arn = ${ARN}/r-andy`,
    "source_profile = prod",
    "",
    "[profile prod]",
    `role_arn = ${ARN}/r-prod`,
    "source_profile = dev",
    "",
    "[profile dev]",
    `role_arn = ${ARN}/r-dev`,
    "source_profile = andy",
  ].join("\n");

  it("C01: reports the andy -> prod -> dev -> andy loop before any call", () => {
    const error = errorOf(resolveProfileChain({ config: c01 }, "andy"));
    expect(error).toMatchObject({ code: "ProfileLoop", profile: "andy" });
    expect(error.loop).toEqual(["andy", "prod", "dev", "andy"]);
    expect(error.message).toContain("andy -> prod -> dev -> andy");
  });

  it("C01: names the loop from wherever resolution starts", () => {
    expect(errorOf(resolveProfileChain({ config: c01 }, "dev")).loop).toEqual([
      "dev",
      "andy",
      "prod",
      "dev",
    ]);
  });

  const c02Config = `[profile dev]\nrole_arn = ${ARN}/dev-admin\nsource_profile = dev\n`;
  const c02Credentials =
    "[dev]\naws_access_key_id = AKIAEXAMPLEDEV000001\naws_secret_access_key = made-up-secret-1\n";

  it("C02: variant A makes exactly one hop, dev's own keys assuming dev-admin", () => {
    const plan = planOf(
      resolveProfileChain({ config: c02Config, credentials: c02Credentials }, "dev"),
    );
    expect(plan.base).toEqual({
      kind: "static",
      profile: "dev",
      accessKeyId: "AKIAEXAMPLEDEV000001",
      secretAccessKey: "made-up-secret-1",
      region: undefined,
    });
    expect(plan.hops).toEqual([{ profile: "dev", roleArn: `${ARN}/dev-admin` }]);
  });

  it("C02: variant B, with no keys for dev, is a loop and makes no hop", () => {
    const error = errorOf(resolveProfileChain({ config: c02Config }, "dev"));
    expect(error).toMatchObject({ code: "ProfileLoop", profile: "dev", loop: ["dev", "dev"] });
    expect(error.hint).toContain("only when it holds static keys");
  });

  it("C03: credential_source with source_profile names the profile and both keys", () => {
    const config = [
      "[profile both]",
      `role_arn = ${ARN}/target`,
      "source_profile = base",
      "credential_source = Environment",
      "",
      "[profile base]",
      "aws_access_key_id = AKIAEXAMPLEBASE00001",
      "aws_secret_access_key = made-up-secret-2",
    ].join("\n");
    const error = errorOf(resolveProfileChain({ config }, "both"));
    expect(error).toMatchObject({
      code: "ConflictingCredentialSources",
      profile: "both",
      keys: ["source_profile", "credential_source"],
    });
    expect(error.message).toContain('"both"');
  });

  it("C04: resolves a two-hop chain written only in the credentials file", () => {
    const credentials = [
      "[role0]",
      "aws_access_key_id = AKIAEXAMPLEROLE00001",
      "aws_secret_access_key = made-up-secret-3",
      "",
      "[role1]",
      "source_profile = role0",
      "role_arn = arn:aws:iam::444455556666:role/hop1",
      "",
      "[role2]",
      "source_profile = role1",
      "role_arn = arn:aws:iam::444455556666:role/hop2",
    ].join("\n");
    const plan = planOf(resolveProfileChain({ credentials }, "role2"));
    expect(plan.base).toMatchObject({ kind: "static", profile: "role0" });
    expect(plan.hops.map((hop) => [hop.profile, hop.roleArn])).toEqual([
      ["role1", "arn:aws:iam::444455556666:role/hop1"],
      ["role2", "arn:aws:iam::444455556666:role/hop2"],
    ]);
  });

  it("C06: records the region of each step: the hop's own, and the base profile's", () => {
    const config = [
      "[default]",
      "region = eu-west-1",
      "",
      "[profile target]",
      `role_arn = ${ARN}/target`,
      "source_profile = base",
      "region = ap-southeast-1",
      "",
      "[profile base]",
      "region = eu-central-1",
      "aws_access_key_id = AKIAEXAMPLEBASE00002",
      "aws_secret_access_key = made-up-secret-4",
    ].join("\n");
    const plan = planOf(resolveProfileChain({ config }, "target"));
    expect(plan.base).toMatchObject({ kind: "static", profile: "base", region: "eu-central-1" });
    expect(plan.hops).toEqual([
      { profile: "target", roleArn: `${ARN}/target`, region: "ap-southeast-1" },
    ]);
  });
});

describe("resolveProfileChain follows the aws CLI's rules", () => {
  const keys = (id: string) =>
    `aws_access_key_id = AKIAEXAMPLE${id.padStart(9, "0")}\naws_secret_access_key = s-${id}\n`;

  it("stops at a source profile's static keys even when it also has a role_arn", () => {
    const config = [
      `[profile top]\nrole_arn = ${ARN}/top\nsource_profile = mid\n`,
      `[profile mid]\nrole_arn = ${ARN}/mid\nsource_profile = root\n${keys("1")}`,
      `[profile root]\n${keys("2")}`,
    ].join("\n");
    const plan = planOf(resolveProfileChain({ config }, "top"));
    expect(plan.base.profile).toBe("mid");
    expect(plan.hops.map((hop) => hop.profile)).toEqual(["top"]);
  });

  it("uses the role of the profile asked for even when it holds static keys itself", () => {
    const config = `${role("a", "b")}${keys("1")}\n[profile b]\n${keys("2")}`;
    const plan = planOf(resolveProfileChain({ config }, "a"));
    expect(plan.base.profile).toBe("b");
    expect(plan.hops.map((hop) => hop.profile)).toEqual(["a"]);
  });

  it("calls it a loop when the chain returns to a profile with keys not sourcing itself", () => {
    const config = `${role("a", "b")}${keys("1")}\n${role("b", "a")}`;
    expect(errorOf(resolveProfileChain({ config }, "a")).loop).toEqual(["a", "b", "a"]);
    const fromB = planOf(resolveProfileChain({ config }, "b"));
    expect([fromB.base.profile, fromB.hops.map((hop) => hop.profile)]).toEqual(["a", ["b"]]);
  });

  it("resolves a static profile to its keys and no hop", () => {
    const plan = planOf(
      resolveProfileChain({ credentials: `[s]\n${keys("1")}aws_session_token = tok\n` }, "s"),
    );
    expect(plan.hops).toEqual([]);
    expect(plan.base).toMatchObject({ kind: "static", sessionToken: "tok" });
  });

  it("honours role_session_name, duration_seconds and external_id per hop", () => {
    const config = [
      `[profile top]\nrole_arn = ${ARN}/top\nsource_profile = base`,
      "role_session_name = me@corp\nduration_seconds = 1_800\nexternal_id = ext-1",
      `[profile base]\n${keys("1")}`,
    ].join("\n");
    expect(planOf(resolveProfileChain({ config }, "top")).hops).toEqual([
      {
        profile: "top",
        roleArn: `${ARN}/top`,
        roleSessionName: "me@corp",
        durationSeconds: 1800,
        externalId: "ext-1",
      },
    ]);
  });

  it("takes a hop's region from its profile, else [default], else leaves it to the target", () => {
    const chain = (defaults: string) =>
      `${defaults}[profile a]\nrole_arn = ${ARN}/a\nsource_profile = b\nregion = us-west-2\n` +
      `[profile b]\nrole_arn = ${ARN}/b\nsource_profile = c\n[profile c]\n${keys("1")}`;
    const withDefault = planOf(
      resolveProfileChain({ config: chain("[default]\nregion = eu-west-1\n") }, "a"),
    );
    expect(withDefault.hops.map((hop) => hop.region)).toEqual(["eu-west-1", "us-west-2"]);
    const without = planOf(resolveProfileChain({ config: chain("") }, "a"));
    expect(without.hops.map((hop) => hop.region)).toEqual([undefined, "us-west-2"]);
  });

  it("uses the server's environment for credential_source = Environment", () => {
    const config = [
      "[profile e]",
      `role_arn = ${ARN}/e`,
      "credential_source = Environment",
      "region = x-1",
    ].join("\n");
    const plan = planOf(resolveProfileChain({ config }, "e"));
    expect(plan.base).toEqual({ kind: "environment", profile: "e", region: "x-1" });
    expect(plan.hops).toHaveLength(1);
    const none = resolveProfileChain({ config }, "e", { environmentHasCredentials: false });
    expect(errorOf(none).code).toBe("NoCredentials");
  });

  it.each([
    ["a profile that does not exist", "", "nope", "ProfileNotFound", "nope"],
    [
      "a missing source profile",
      `[profile a]\nrole_arn = ${ARN}/a\nsource_profile = gone\n`,
      "a",
      "SourceProfileNotFound",
      "a",
    ],
    [
      "a role profile without a source",
      `[profile a]\nrole_arn = ${ARN}/a\n`,
      "a",
      "MissingCredentialSource",
      "a",
    ],
    [
      "a source profile with nothing in it",
      `[profile a]\nrole_arn = ${ARN}/a\nsource_profile = b\n[profile b]\nregion = x\n`,
      "a",
      "NoCredentials",
      "b",
    ],
    [
      "an SSO root",
      `${role("a", "b")}[profile b]\nsso_session = corp\nsso_account_id = 1\n`,
      "a",
      "SsoLoginRequired",
      "b",
    ],
    [
      "a credential_process root",
      "[profile p]\ncredential_process = /bin/creds\n",
      "p",
      "UnsupportedProfileType",
      "p",
    ],
    [
      "a web identity profile",
      `[profile w]\nrole_arn = ${ARN}/w\nweb_identity_token_file = /t\n`,
      "w",
      "UnsupportedProfileType",
      "w",
    ],
    [
      "credential_source = Ec2InstanceMetadata",
      `[profile a]\nrole_arn = ${ARN}/a\ncredential_source = Ec2InstanceMetadata\n`,
      "a",
      "UnsupportedCredentialSource",
      "a",
    ],
    [
      "credential_source = EcsContainer",
      `[profile a]\nrole_arn = ${ARN}/a\ncredential_source = EcsContainer\n`,
      "a",
      "UnsupportedCredentialSource",
      "a",
    ],
    [
      "credential_source in the wrong case",
      `[profile a]\nrole_arn = ${ARN}/a\ncredential_source = environment\n`,
      "a",
      "InvalidCredentialSource",
      "a",
    ],
    [
      "half a key pair",
      `${role("a", "b")}[profile b]\naws_access_key_id = AKIAEXAMPLE000000001\n`,
      "a",
      "PartialCredentials",
      "b",
    ],
    [
      "a profile asking for MFA",
      `[profile a]\nrole_arn = ${ARN}/a\nmfa_serial = arn:mfa\ncredential_source = Environment`,
      "a",
      "MfaNotSupported",
      "a",
    ],
    [
      "a duration that is not a number",
      `[profile a]\nrole_arn = ${ARN}/a\nduration_seconds = 1h\ncredential_source = Environment\n`,
      "a",
      "InvalidSetting",
      "a",
    ],
    [
      "an empty role_arn",
      "[profile a]\nrole_arn =\ncredential_source = Environment\n",
      "a",
      "InvalidSetting",
      "a",
    ],
  ])("refuses %s with a coded error naming the profile", (_case, config, asked, code, profile) => {
    const error = errorOf(resolveProfileChain({ config }, asked));
    expect(error).toMatchObject({ code, profile });
    expect(error.message).toContain(`"${profile}"`);
  });

  it("gives a parse error with its file and line instead of a plan", () => {
    const error = errorOf(resolveProfileChain({ credentials: "[a]\nkey without equals\n" }, "a"));
    expect(error).toMatchObject({ code: "ParseError", file: "credentials", line: 2 });
  });

  it("accepts files parsed once and resolved many times", () => {
    const parsed = parseAwsFiles({ credentials: `[a]\n${keys("1")}` });
    if (!parsed.ok) throw new Error("parse failed");
    expect(planOf(resolveProfileChain(parsed.files, "a")).base.profile).toBe("a");
  });

  it.each(["__proto__", "constructor", "toString"])(
    "resolves a chain through a profile named %s",
    (name) => {
      const config = `${role("top", name)}${role(name, "base")}[profile base]\n${keys("1")}`;
      const plan = planOf(resolveProfileChain({ config }, "top"));
      expect(plan.hops.map((hop) => hop.profile)).toEqual([name, "top"]);
      expect(errorOf(resolveProfileChain({ config }, "hasOwnProperty")).code).toBe(
        "ProfileNotFound",
      );
    },
  );
});

describe("resolveProfileChain at depth", () => {
  function chainConfig(count: number, closeLoop: boolean): AwsFileTexts {
    const lines: string[] = [];
    for (let i = 1; i <= count; i += 1) {
      const source = i > 1 ? `p${i - 1}` : closeLoop ? `p${count}` : "base";
      lines.push(`[profile p${i}]`, `role_arn = ${ARN}/r${i}`, `source_profile = ${source}`, "");
    }
    return {
      config: lines.join("\n"),
      credentials: "[base]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = s\n",
    };
  }

  it("resolves a 1,000-profile chain into 1,000 hops in execution order", () => {
    const plan = planOf(resolveProfileChain(chainConfig(1000, false), "p1000"));
    expect(plan.hops).toHaveLength(1000);
    expect(plan.hops[0]?.profile).toBe("p1");
    expect(plan.hops[999]?.profile).toBe("p1000");
    expect(plan.base.profile).toBe("base");
  });

  it("resolves 10,000 profiles (as many as fit in 1 MiB) without stack overflow", () => {
    expect(planOf(resolveProfileChain(chainConfig(10_000, false), "p10000")).hops).toHaveLength(
      10_000,
    );
  });

  it("reports a 1,000-profile loop, whole and in order, quickly", () => {
    const started = performance.now();
    const error = errorOf(resolveProfileChain(chainConfig(1000, true), "p1000"));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe("ProfileLoop");
    expect(error.loop).toHaveLength(1001);
    expect(error.loop?.slice(0, 3)).toEqual(["p1000", "p999", "p998"]);
    expect(error.loop?.at(-1)).toBe("p1000");
  });

  it("never calls a deep chain a loop (some tools stop at 10)", () => {
    expect(planOf(resolveProfileChain(chainConfig(11, false), "p11")).hops).toHaveLength(11);
  });
});
