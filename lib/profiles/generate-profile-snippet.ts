/**
 * A config snippet of chained profiles for roles rolechain provisioned, so the same chain runs
 * with the aws CLI. It never holds a secret: the person adds the base profile's keys themselves.
 */

export interface GenerateProfileSnippetOptions {
  /** In chain order: the first is sourced from `baseProfile`, each next from the one before. */
  roles: ReadonlyArray<{ roleName: string; roleArn: string }>;
  /** The profile holding the person's own base credentials, e.g. `default`. */
  baseProfile: string;
  region?: string;
  /** Applied to every profile; more than 3600 fails on every chained hop, so it is refused. */
  durationSeconds?: number;
}

export type ProfileSnippetField =
  | "roles"
  | "roleName"
  | "roleArn"
  | "baseProfile"
  | "region"
  | "durationSeconds";

/** Bad options: a programming error upstream (the action validates input first). */
export class ProfileSnippetError extends Error {
  readonly code = "InvalidSnippetOptions";
  constructor(
    readonly field: ProfileSnippetField,
    message: string,
  ) {
    super(message);
    this.name = "ProfileSnippetError";
  }
}

/** IAM role names; they are also safe profile names (no space, quote, bracket). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** A profile name the CLI reads back unchanged inside `[profile …]` and after `=`. */
const PROFILE_NAME = /^[\w+=,.@/:-]{1,128}$/;
const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]{1,576}$/;
/** Loose on purpose: an endpoint target may use any region name; only line breaks must not. */
const REGION = /^[a-z0-9-]{1,64}$/;
/** AWS's limit for a session made from role credentials (role chaining). */
const CHAINED_SESSION_LIMIT = 3600;

/**
 * @example
 * generateProfileSnippet({
 *   roles: [{ roleName: "rolechain-1", roleArn: "arn:aws:iam::123456789012:role/rolechain-1" }],
 *   baseProfile: "default",
 * });
 * // "# ...\n[profile rolechain-1]\nrole_arn = arn:...\nsource_profile = default\n"
 */
export function generateProfileSnippet(options: GenerateProfileSnippetOptions): string {
  const { roles, baseProfile, region, durationSeconds } = options;
  check(roles.length > 0, "roles", "roles must list at least one role.");
  check(
    PROFILE_NAME.test(baseProfile),
    "baseProfile",
    "baseProfile must be 1-128 of [\\w+=,.@/:-].",
  );
  if (region !== undefined) {
    check(REGION.test(region), "region", `region must be 1-64 of [a-z0-9-]; got "${region}".`);
  }
  if (durationSeconds !== undefined) {
    const ok = Number.isInteger(durationSeconds) && durationSeconds >= 900;
    check(ok, "durationSeconds", "durationSeconds must be a whole number, at least 900.");
    check(
      roles.length === 1 || durationSeconds <= CHAINED_SESSION_LIMIT,
      "durationSeconds",
      `durationSeconds must be at most ${CHAINED_SESSION_LIMIT} for a chain: AWS limits ` +
        "sessions made by role chaining to one hour.",
    );
  }
  const seen = new Set<string>([baseProfile]);
  for (const { roleName, roleArn } of roles) {
    check(
      ROLE_NAME.test(roleName),
      "roleName",
      `role name "${roleName}" is not 1-64 of [\\w+=,.@-].`,
    );
    check(
      !seen.has(roleName),
      "roleName",
      `profile "${roleName}" would appear twice (or be the base).`,
    );
    check(ROLE_ARN.test(roleArn), "roleArn", `"${roleArn}" is not an IAM role ARN.`);
    seen.add(roleName);
  }

  const last = roles[roles.length - 1]?.roleName ?? "";
  const lines = [
    `# rolechain: ${roles.length} chained profile${roles.length === 1 ? "" : "s"}, ` +
      `from "${baseProfile}" to "${last}".`,
    "# Paste into ~/.aws/config. Your base keys stay yours: put them under",
    `# [${baseProfile}] in ~/.aws/credentials. This snippet holds no secret.`,
    `# Resolve "${last}" in rolechain's Profiles mode. Careful with the aws CLI: some`,
    "# versions (Debian's 2.9 among them) send the AssumeRole calls of a source_profile",
    "# chain to AWS's public STS endpoint whatever --endpoint-url says.",
  ];
  let source = baseProfile;
  for (const { roleName, roleArn } of roles) {
    lines.push("", `[profile ${roleName}]`, `role_arn = ${roleArn}`, `source_profile = ${source}`);
    if (region !== undefined) lines.push(`region = ${region}`);
    if (durationSeconds !== undefined) lines.push(`duration_seconds = ${durationSeconds}`);
    source = roleName;
  }
  return `${lines.join("\n")}\n`;
}

function check(ok: boolean, field: ProfileSnippetField, message: string): void {
  if (!ok) throw new ProfileSnippetError(field, message);
}
