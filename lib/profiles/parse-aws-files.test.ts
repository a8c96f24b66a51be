import { describe, expect, it } from "vitest";
import { parseAwsFiles } from "./parse-aws-files";
import type { AwsFileTexts, ParsedAwsFiles } from "./types";

function load(texts: AwsFileTexts): ParsedAwsFiles {
  const result = parseAwsFiles(texts);
  if (!result.ok) throw new Error(`unexpected parse failure: ${result.error.message}`);
  return result.files;
}

function names(texts: AwsFileTexts): string[] {
  return [...load(texts).profiles.keys()];
}

describe("parseAwsFiles finds profiles as the aws CLI does", () => {
  it.each([
    ["[profile x] in config names x", { config: "[profile x]\n" }, ["x"]],
    ["[default] in config is the default profile", { config: "[default]\n" }, ["default"]],
    [
      "[profile default] in config is the default profile",
      { config: "[profile default]\n" },
      ["default"],
    ],
    ["[x] in config is not a profile", { config: "[x]\n" }, []],
    ["[Default] is not default (names are case-sensitive)", { config: "[Default]\n" }, []],
    ["[profilex] is not a profile", { config: "[profilex]\n" }, []],
    ["[profile a b] is not a profile", { config: "[profile a b]\n" }, []],
    ["[profile] alone is not a profile", { config: "[profile]\n" }, []],
    ['[profile "a b"] names "a b"', { config: '[profile "a b"]\n' }, ["a b"]],
    ["[profile   x] names x", { config: "[profile   x]\n" }, ["x"]],
    ["[profile 'x] with an open quote is skipped", { config: "[profile 'x]\n" }, []],
    ["sso-session sections are not profiles", { config: "[sso-session s]\nsso_region = x\n" }, []],
    [
      "services sections are not profiles",
      { config: "[services s]\ns3 =\n  endpoint_url = x\n" },
      [],
    ],
    ["[x] in credentials names x", { credentials: "[x]\n" }, ["x"]],
    [
      "[profile x] in credentials names 'profile x'",
      { credentials: "[profile x]\n" },
      ["profile x"],
    ],
    [
      "names with dots, at signs and dashes",
      { config: "[profile a.b]\n[profile me@corp]\n[profile x-y_z]\n" },
      ["a.b", "me@corp", "x-y_z"],
    ],
    [
      "config profiles first, then credentials-only ones",
      { config: "[profile b]\n", credentials: "[a]\n[b]\n" },
      ["b", "a"],
    ],
  ])("%s", (_rule, texts, expected) => {
    expect(names(texts)).toEqual(expected);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "treats %s as just a profile name",
    (name) => {
      const files = load({
        config: `[profile ${name}]\nregion = eu-west-1\n`,
        credentials: `[${name}]\naws_access_key_id = AKIAEXAMPLE000000001\n`,
      });
      expect([...files.profiles.keys()]).toEqual([name]);
      const settings = files.profiles.get(name)?.settings;
      expect(settings?.get("region")).toBe("eu-west-1");
      expect(settings?.get("aws_access_key_id")).toBe("AKIAEXAMPLE000000001");
      expect(({} as Record<string, unknown>).region).toBeUndefined();
    },
  );

  it("gives the credentials file's value for a key both files set, key by key", () => {
    const files = load({
      config: "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIACONFIG0000000001\n",
      credentials: "[dev]\naws_access_key_id = AKIACREDS00000000001\n",
    });
    const dev = files.profiles.get("dev");
    expect(Object.fromEntries(dev?.settings ?? [])).toEqual({
      region: "eu-west-1",
      aws_access_key_id: "AKIACREDS00000000001",
    });
    expect(dev?.files).toEqual(["config", "credentials"]);
    expect(dev?.origins.get("aws_access_key_id")).toEqual({ file: "credentials", line: 2 });
    expect(dev?.origins.get("region")).toEqual({ file: "config", line: 2 });
  });

  it("keeps only the later of [default] and [profile default], with a warning", () => {
    const texts = { config: "[default]\nregion = a\nk = 1\n[profile default]\nregion = b\n" };
    const files = load(texts);
    expect(Object.fromEntries(files.profiles.get("default")?.settings ?? [])).toEqual({
      region: "b",
    });
    expect(files.warnings).toMatchObject([{ code: "ProfileRedefined", line: 4 }]);
  });

  it("keeps SSO sessions apart from profiles", () => {
    const files = load({ config: "[sso-session corp]\nsso_start_url = https://x\n" });
    expect(files.ssoSessions.get("corp")?.get("sso_start_url")).toBe("https://x");
  });

  it("keeps nested blocks out of the settings used for resolution", () => {
    const files = load({ config: "[profile a]\ns3 =\n  addressing_style = path\nregion = x\n" });
    const a = files.profiles.get("a");
    expect([...(a?.settings.keys() ?? [])]).toEqual(["region"]);
    expect(a?.nested.get("s3")?.get("addressing_style")).toBe("path");
  });

  it.each([
    ["[dev] in config", { config: "[dev]\n" }, "IgnoredSection", "config"],
    [
      "[profile x] in credentials",
      { credentials: "[profile x]\n" },
      "PrefixInCredentialsFile",
      "credentials",
    ],
  ])("warns on %s, naming the file and line", (_case, texts, code, file) => {
    expect(load(texts).warnings).toMatchObject([{ code, file, line: 1 }]);
  });

  it("reports errors from both files, config first", () => {
    const result = parseAwsFiles({ config: "[a]\nbad\n", credentials: "oops\n" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ file: "config", line: 2, code: "MissingDelimiter" });
    expect(result.errors.map((e) => [e.file, e.line])).toEqual([
      ["config", 2],
      ["credentials", 1],
    ]);
  });

  it("treats missing and empty files as no profiles", () => {
    expect(names({})).toEqual([]);
    expect(names({ config: "", credentials: "" })).toEqual([]);
  });
});
