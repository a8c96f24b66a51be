import { describe, expect, it } from "vitest";
import { buildProfileGraph } from "./build-profile-graph";

const ARN = "arn:aws:iam::111122223333:role";
/** A role profile section sourced from `source`. */
const role = (name: string, source: string) =>
  `[profile ${name}]\nrole_arn = ${ARN}/${name}\nsource_profile = ${source}\n`;
const KEYS =
  "aws_access_key_id = AKIAEXAMPLEBASE00001\naws_secret_access_key = made-up-secret-2\n" +
  "aws_session_token = made-up-token\n";

describe("buildProfileGraph", () => {
  it("C01: shows the andy -> prod -> dev -> andy cycle as one loop, on its nodes and edges", () => {
    const config = [
      `[profile andy]\nrole_arn = ${ARN}/r-andy\nsource_profile = prod`,
      `[profile prod]\nrole_arn = ${ARN}/r-prod\nsource_profile = dev`,
      `[profile dev]\nrole_arn = ${ARN}/r-dev\nsource_profile = andy`,
      "[profile feeder]\nrole_arn = arn:aws:iam::1:role/f\nsource_profile = prod",
    ].join("\n");
    const graph = buildProfileGraph({ config });
    expect(graph.loops).toEqual([["andy", "prod", "dev", "andy"]]);
    expect(graph.problems).toEqual([
      expect.objectContaining({
        code: "ProfileLoop",
        profile: "andy",
        loop: ["andy", "prod", "dev", "andy"],
      }),
    ]);
    expect(graph.nodes.filter((n) => n.inLoop).map((n) => n.id)).toEqual(["andy", "prod", "dev"]);
    expect(graph.edges.map((e) => [e.id, e.inLoop])).toEqual([
      ["prod->andy", true],
      ["dev->prod", true],
      ["andy->dev", true],
      ["prod->feeder", false],
    ]);
  });

  it("C02: a self-sourced profile is a loop without keys and fine with them", () => {
    const config = `[profile dev]\nrole_arn = ${ARN}/dev-admin\nsource_profile = dev\n`;
    expect(buildProfileGraph({ config }).loops).toEqual([["dev", "dev"]]);
    const withKeys = buildProfileGraph({ config, credentials: `[dev]\n${KEYS}` });
    expect(withKeys.loops).toEqual([]);
    expect(withKeys.problems).toEqual([]);
    expect(withKeys.edges).toEqual([
      { id: "dev->dev", source: "dev", target: "dev", inLoop: false },
    ]);
  });

  it("finds a loop that only the profile with keys at its head would hit", () => {
    const config = `${role("a", "b")}${KEYS}${role("b", "a")}`;
    expect(buildProfileGraph({ config }).loops).toEqual([["a", "b", "a"]]);
  });

  it("lists each problem with the profile it concerns", () => {
    const config = [
      `[profile both]\nrole_arn = ${ARN}/t\nsource_profile = base\ncredential_source = Environment`,
      `[profile lost]\nrole_arn = ${ARN}/l\nsource_profile = nowhere`,
      `[profile orphan]\nrole_arn = ${ARN}/o`,
      `[profile hollow-user]\nrole_arn = ${ARN}/h\nsource_profile = hollow`,
      "[profile hollow]\nregion = eu-west-1",
      "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin",
      `[profile base]\n${KEYS}`,
    ].join("\n");
    const graph = buildProfileGraph({ config });
    expect(graph.problems.map((p) => [p.code, p.profile])).toEqual([
      ["ConflictingCredentialSources", "both"],
      ["SourceProfileNotFound", "lost"],
      ["MissingCredentialSource", "orphan"],
      ["NoCredentials", "hollow"],
      ["SsoLoginRequired", "sso"],
    ]);
    expect(graph.problems[0]?.keys).toEqual(["source_profile", "credential_source"]);
  });

  it("shows what each profile holds, with the key id masked and no secret anywhere", () => {
    const config = [
      `${role("r", "base")}region = eu-west-1\nexternal_id = x1`,
      "[profile sso]\nsso_start_url = https://corp.awsapps.com/start\n",
    ].join("\n");
    const graph = buildProfileGraph({ config, credentials: `[base]\n${KEYS}` });
    expect(graph.nodes).toEqual([
      {
        id: "r",
        kind: "role",
        files: ["config"],
        inLoop: false,
        roleArn: `${ARN}/r`,
        sourceProfile: "base",
        region: "eu-west-1",
        externalId: "x1",
      },
      {
        id: "sso",
        kind: "sso",
        files: ["config"],
        inLoop: false,
        sso: { startUrl: "https://corp.awsapps.com/start" },
      },
      {
        id: "base",
        kind: "static",
        files: ["credentials"],
        inLoop: false,
        staticKeys: { accessKeyId: "AKIA…0001", hasSecretAccessKey: true, hasSessionToken: true },
      },
    ]);
    const text = JSON.stringify(graph);
    expect(text).not.toContain("made-up-secret");
    expect(text).not.toContain("made-up-token");
    expect(text).not.toContain("AKIAEXAMPLEBASE00001");
  });

  it("gives an empty graph carrying the parse errors for a malformed file", () => {
    const graph = buildProfileGraph({ config: "[profile a\n" });
    expect(graph.nodes).toEqual([]);
    expect(graph.errors).toMatchObject([
      { code: "UnclosedSectionHeader", file: "config", line: 1 },
    ]);
  });

  it("finds a 1,000-profile loop among 2,000 profiles in one linear pass", () => {
    const sections: string[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const source = i < 1000 ? `p${(i + 1) % 1000}` : `p${i - 1000}`;
      sections.push(`[profile p${i}]\nrole_arn = ${ARN}/r${i}\nsource_profile = ${source}`);
    }
    const started = performance.now();
    const graph = buildProfileGraph({ config: sections.join("\n") });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(graph.loops).toHaveLength(1);
    expect(graph.loops[0]).toHaveLength(1001);
    expect(graph.loops[0]?.slice(0, 3)).toEqual(["p0", "p1", "p2"]);
  });
});
