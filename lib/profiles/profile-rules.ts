/**
 * The aws CLI's rules for what one profile is, shared by resolution and the graph. Presence of a
 * key is what counts (as in botocore's `'role_arn' in profile`), even with an empty value.
 */
import type { AwsProfile, ProfileError, ProfileKind } from "./types";

export const ACCESS_KEY_ID = "aws_access_key_id";
export const SECRET_ACCESS_KEY = "aws_secret_access_key";
export const SESSION_TOKENS = ["aws_session_token", "aws_security_token"] as const;
export const ROLE_ARN = "role_arn";
export const SOURCE_PROFILE = "source_profile";
export const CREDENTIAL_SOURCE = "credential_source";
const WEB_IDENTITY_TOKEN_FILE = "web_identity_token_file";
const CREDENTIAL_PROCESS = "credential_process";
const SSO_KEYS = ["sso_session", "sso_start_url", "sso_account_id", "sso_role_name"];

/** The credential_source values botocore accepts; only Environment is usable here. */
const METADATA_SOURCES = ["Ec2InstanceMetadata", "EcsContainer"];
export const ENVIRONMENT_SOURCE = "Environment";

/** Either static key present: botocore then treats the profile as holding static keys. */
export function hasStaticKeys(profile: AwsProfile): boolean {
  return profile.settings.has(ACCESS_KEY_ID) || profile.settings.has(SECRET_ACCESS_KEY);
}

/** A role profile for AssumeRole: `role_arn` without `web_identity_token_file`. */
export function isRoleProfile(profile: AwsProfile): boolean {
  return profile.settings.has(ROLE_ARN) && !profile.settings.has(WEB_IDENTITY_TOKEN_FILE);
}

export function isSsoProfile(profile: AwsProfile): boolean {
  return SSO_KEYS.some((key) => profile.settings.has(key));
}

export function profileKind(profile: AwsProfile): ProfileKind {
  if (isRoleProfile(profile)) return "role";
  if (hasStaticKeys(profile)) return "static";
  if (profile.settings.has(WEB_IDENTITY_TOKEN_FILE)) return "web-identity";
  if (isSsoProfile(profile)) return "sso";
  if (profile.settings.has(CREDENTIAL_PROCESS)) return "process";
  return "empty";
}

/** `ASIA…WXYZ`: first 4 + "…" + last 4; a value too short to mask shows only "…". */
export function maskAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length < 12) return "…";
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/** Both static keys, or the error naming the one missing. */
export function checkStaticKeys(profile: AwsProfile): ProfileError | undefined {
  const missing = [ACCESS_KEY_ID, SECRET_ACCESS_KEY].filter((key) => !profile.settings.has(key));
  if (missing.length === 0) return undefined;
  return {
    code: "PartialCredentials",
    profile: profile.name,
    keys: missing,
    message:
      `Profile "${profile.name}" has only part of its static keys: ` +
      `${missing.join(", ")} is missing.`,
    hint: `Add ${missing.join(" and ")} to [${profile.name}] in the credentials file.`,
  };
}

/**
 * Why a profile that is neither a role profile nor holds static keys gives no credentials here.
 * `asSource` names the profile that relies on it, for the message.
 */
export function explainNoCredentials(profile: AwsProfile, asSourceOf?: string): ProfileError {
  const name = profile.name;
  const reliedOn = asSourceOf ? ` (the source_profile of "${asSourceOf}")` : "";
  switch (profileKind(profile)) {
    case "sso":
      return {
        code: "SsoLoginRequired",
        profile: name,
        keys: SSO_KEYS.filter((key) => profile.settings.has(key)),
        message: `Profile "${name}"${reliedOn} gets its credentials from an SSO login.`,
        hint:
          "rolechain does not run SSO logins. Root the chain in a profile with static keys or " +
          "with credential_source = Environment.",
      };
    case "process":
    case "web-identity": {
      const key = profile.settings.has(WEB_IDENTITY_TOKEN_FILE)
        ? WEB_IDENTITY_TOKEN_FILE
        : CREDENTIAL_PROCESS;
      return {
        code: "UnsupportedProfileType",
        profile: name,
        keys: [key],
        message: `Profile "${name}"${reliedOn} uses ${key}, which rolechain does not run.`,
        hint: "Root the chain in a profile with static keys or credential_source = Environment.",
      };
    }
    default:
      return {
        code: "NoCredentials",
        profile: name,
        message: `Profile "${name}"${reliedOn} has no credentials: no static keys and no role_arn.`,
        hint: `Add ${ACCESS_KEY_ID} and ${SECRET_ACCESS_KEY} to [${name}] in the credentials file.`,
      };
  }
}

/** `credential_source`: Environment is usable; metadata sources are refused; others invalid. */
export function checkCredentialSource(
  profile: AwsProfile,
  source: string,
): ProfileError | undefined {
  if (source === ENVIRONMENT_SOURCE) return undefined;
  const name = profile.name;
  if (METADATA_SOURCES.includes(source)) {
    return {
      code: "UnsupportedCredentialSource",
      profile: name,
      keys: [CREDENTIAL_SOURCE],
      message: `Profile "${name}" takes credentials from ${source}.`,
      hint:
        "rolechain never probes instance or container metadata addresses. Use " +
        "credential_source = Environment or a source_profile with static keys.",
    };
  }
  return {
    code: "InvalidCredentialSource",
    profile: name,
    keys: [CREDENTIAL_SOURCE],
    message:
      `Profile "${name}" has credential_source = ${source}; the aws CLI accepts only ` +
      `${ENVIRONMENT_SOURCE}, ${METADATA_SOURCES.join(" or ")} (exact case).`,
  };
}

/** The two settings that must not be set together. */
export function conflictingSources(profile: AwsProfile): ProfileError {
  return {
    code: "ConflictingCredentialSources",
    profile: profile.name,
    keys: [SOURCE_PROFILE, CREDENTIAL_SOURCE],
    message:
      `Profile "${profile.name}" sets both source_profile and credential_source; the aws CLI ` +
      "refuses this rather than pick one.",
    hint: "Keep exactly one of source_profile and credential_source.",
  };
}

export function missingSource(profile: AwsProfile): ProfileError {
  return {
    code: "MissingCredentialSource",
    profile: profile.name,
    keys: [SOURCE_PROFILE, CREDENTIAL_SOURCE],
    message:
      `Profile "${profile.name}" has a role_arn but neither source_profile nor ` +
      "credential_source.",
    hint: "Add source_profile = <a profile with credentials> or credential_source = Environment.",
  };
}

export function sourceNotFound(profile: AwsProfile, source: string): ProfileError {
  return {
    code: "SourceProfileNotFound",
    profile: profile.name,
    keys: [SOURCE_PROFILE],
    message: `The source_profile "${source}" named by profile "${profile.name}" does not exist.`,
  };
}

/** A loop in order, first name repeated at the end; `from` is the profile whose chain hit it. */
/** Profiles named at each end of a long loop in its message; `loop` always holds them all. */
const LOOP_ENDS_SHOWN = 5;

/** `a -> b -> a`; a long loop as its first and last few profiles and how many there are. */
function describeLoop(loop: string[]): string {
  if (loop.length <= 2 * LOOP_ENDS_SHOWN + 1) return loop.join(" -> ");
  const distinct = (loop.length - 1).toLocaleString("en-US");
  return (
    `${loop.slice(0, LOOP_ENDS_SHOWN).join(" -> ")} -> … -> ` +
    `${loop.slice(-LOOP_ENDS_SHOWN).join(" -> ")} (${distinct} profiles)`
  );
}

export function loopError(from: string, loop: string[]): ProfileError {
  const path = describeLoop(loop);
  const start = loop[0] ?? from;
  const message =
    start === from
      ? `Profile "${from}" loops: ${path}. No AssumeRole was made.`
      : `Profile "${from}" leads into a loop: ${path}. No AssumeRole was made.`;
  return {
    code: "ProfileLoop",
    profile: from,
    keys: [SOURCE_PROFILE],
    loop,
    message,
    hint:
      loop.length === 2
        ? `A profile may name itself as source_profile only when it holds static keys: add ` +
          `them to [${start}] in the credentials file, or point source_profile elsewhere.`
        : "Point one source_profile in the loop at a profile with static keys.",
  };
}
