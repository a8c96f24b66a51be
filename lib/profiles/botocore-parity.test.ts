/**
 * Parity with the aws CLI itself: random files and profile graphs go through the CLI's own
 * botocore (as an oracle, in a child Python process) and through lib/profiles, and must come out
 * the same. Skipped where the Debian aws CLI is not installed. No network: the oracle only parses
 * files and builds deferred credentials.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAwsFiles } from "./parse-aws-files";
import { resolveProfileChain } from "./resolve-profile-chain";

const PYTHON = "/usr/bin/python3";
const CLI_BOTOCORE = "/usr/lib/python3/dist-packages/awscli/botocore/configloader.py";
const ORACLE = path.join(__dirname, "testing", "botocore_oracle.py");
const available = existsSync(PYTHON) && existsSync(CLI_BOTOCORE);
const scratch = mkdtempSync(path.join(tmpdir(), "rolechain-botocore-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Case =
  | { kind: "parse"; config: string }
  | { kind: "resolve"; config: string; credentials: string; profile: string };

function askBotocore(cases: Case[]): unknown[] {
  const run = spawnSync(PYTHON, [ORACLE, scratch], {
    input: JSON.stringify(cases),
    encoding: "utf8",
    // A clean environment (Next types require NODE_ENV); the oracle replaces it again anyway.
    env: { NODE_ENV: "test", AWS_EC2_METADATA_DISABLED: "true" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`botocore oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown[];
}

/** A small seeded generator, so a failure can be replayed. */
function seeded(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

const HEADERS = [
  "[profile a]",
  "[profile  b]",
  "[default]",
  "[profile default]",
  "[x]",
  "[profile 'q r']",
  '[profile "a b"]',
  "[sso-session s]",
  "[DEFAULT]",
  "[profile a",
  "[]",
  "[ profile a ]",
  "[profile a]]",
  "[profile c] # c",
  "  [profile d]",
  "[profile e.f@g-h]",
  "[profile]",
  "[profile x y]",
];
const LINES = [
  "k=1",
  "Key : v",
  "  k2 = v",
  "\tk3=v # c",
  "novalue",
  "= x",
  "k4 =",
  "  more",
  "# c",
  "; c",
  "",
  "   ",
  "s3 =",
  "  x = 1",
  "  bad",
  "Role_ARN = arn:aws:iam::1:role/x",
  "k5: a=b",
  "k6 = a:b",
  ":x",
  "\t# indented comment",
  "K7=UPPER",
];

function randomIni(random: ReturnType<typeof seeded>): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(random.next() * 12);
  for (let i = 0; i < count; i += 1) {
    lines.push(random.next() < 0.3 ? random.pick(HEADERS) : random.pick(LINES));
  }
  return lines.join("\n") + random.pick(["", "\n", "\r\n"]);
}

const NAMES = ["a", "b", "c", "d", "e"];

function randomProfiles(random: ReturnType<typeof seeded>) {
  const config: string[] = [];
  const credentials: string[] = [];
  for (const name of NAMES) {
    if (random.next() < 0.15) continue;
    const lines: string[] = [];
    const credentialLines: string[] = [];
    if (random.next() < 0.7) lines.push(`role_arn = arn:aws:iam::111122223333:role/${name}`);
    const source = random.next();
    if (source < 0.6) lines.push(`source_profile = ${random.pick([...NAMES, "zz"])}`);
    else if (source < 0.7) lines.push("credential_source = Environment");
    else if (source < 0.75) {
      lines.push(`source_profile = ${random.pick(NAMES)}`, "credential_source = Environment");
    }
    const keys = random.next();
    const into = random.next() < 0.5 ? credentialLines : lines;
    const keyId = `aws_access_key_id = AKIA${name.repeat(16)}`;
    if (keys < 0.3) into.push(keyId, `aws_secret_access_key = made-up-${name}`);
    else if (keys < 0.35) into.push(keyId);
    config.push(`[profile ${name}]`, ...(lines.length > 0 ? lines : ["region = x"]));
    if (credentialLines.length > 0) credentials.push(`[${name}]`, ...credentialLines);
  }
  return { config: `${config.join("\n")}\n`, credentials: `${credentials.join("\n")}\n` };
}

/** What lib/profiles' error codes may stand for, per botocore exception. */
const BOTOCORE_ERRORS: Record<string, string[]> = {
  PartialCredentialsError: ["MissingCredentialSource", "PartialCredentials"],
  InvalidConfigError: [
    "ConflictingCredentialSources",
    "SourceProfileNotFound",
    "NoCredentials",
    "PartialCredentials",
  ],
  ProfileNotFound: ["ProfileNotFound"],
  InfiniteLoopConfigError: ["ProfileLoop"],
};

describe.skipIf(!available)("parity with the aws CLI's botocore", () => {
  it("parses 1,000 random config files to the same profiles, or fails where it fails", () => {
    const random = seeded(1);
    const texts = Array.from({ length: 1000 }, () => randomIni(random));
    const answers = askBotocore(texts.map((config) => ({ kind: "parse", config })));
    let compared = 0;
    texts.forEach((config, i) => {
      const answer = answers[i] as { ok: boolean; duplicate?: boolean; profiles?: unknown };
      // The CLI refuses duplicates; lib/profiles warns and merges (tested elsewhere).
      if (!answer.ok && answer.duplicate) return;
      const ours = parseAwsFiles({ config });
      expect({ config, ok: ours.ok }).toEqual({ config, ok: answer.ok });
      compared += 1;
      if (!ours.ok || !answer.ok) return;
      const profiles = Object.fromEntries(
        [...ours.files.profiles].map(([name, profile]) => [
          name,
          {
            ...Object.fromEntries(profile.settings),
            ...Object.fromEntries([...profile.nested].map(([k, v]) => [k, Object.fromEntries(v)])),
          },
        ]),
      );
      expect({ config, profiles }).toEqual({ config, profiles: answer.profiles });
    });
    expect(compared).toBeGreaterThan(900);
  });

  it("resolves every profile of 100 random graphs to the same hops, base or error", () => {
    const random = seeded(2);
    const cases: Case[] = [];
    for (let i = 0; i < 100; i += 1) {
      const files = randomProfiles(random);
      for (const profile of NAMES) cases.push({ kind: "resolve", ...files, profile });
    }
    const answers = askBotocore(cases);
    const seen = new Set<string>();
    cases.forEach((item, i) => {
      if (item.kind !== "resolve") return;
      const answer = answers[i] as { error?: string; roles?: string[]; baseAccessKeyId?: string };
      const ours = resolveProfileChain(item, item.profile);
      const label = { ...item, answer };
      if (answer.error === "NotAssumeRole") {
        // Not a role profile: botocore's other providers take over; we plan zero hops.
        const fine = ours.ok
          ? ours.plan.hops.length === 0
          : ["NoCredentials", "PartialCredentials"].includes(ours.error.code);
        expect({ label, fine }).toEqual({ label, fine: true });
      } else if (answer.error) {
        const code = ours.ok ? "plan" : ours.error.code;
        expect(BOTOCORE_ERRORS[answer.error] ?? [], JSON.stringify(label)).toContain(code);
      } else {
        expect(ours.ok, JSON.stringify(label)).toBe(true);
        if (!ours.ok) return;
        const base = ours.plan.base;
        expect({ label, roles: ours.plan.hops.map((hop) => hop.roleArn) }).toEqual({
          label,
          roles: answer.roles,
        });
        const keyId = base.kind === "static" ? base.accessKeyId : "AKIAENVIRONMENT00000";
        expect({ label, keyId }).toEqual({ label, keyId: answer.baseAccessKeyId });
      }
      seen.add(answer.error ?? "plan");
    });
    // The random graphs must reach every kind of outcome, or the comparison proves little.
    expect([...seen].sort()).toEqual([
      "InfiniteLoopConfigError",
      "InvalidConfigError",
      "NotAssumeRole",
      "PartialCredentialsError",
      "ProfileNotFound",
      "plan",
    ]);
  });
});
