/**
 * One profile's role settings as the hop the engine makes: `role_arn`, `role_session_name`,
 * `external_id`, `duration_seconds`, and the region (the profile's, else `[default]`'s).
 */
import { ROLE_ARN } from "./profile-rules";
import type { AwsProfile, ProfileError, ProfileHop } from "./types";

export function toProfileHop(
  profile: AwsProfile,
  defaultRegion: string | undefined,
): ProfileHop | ProfileError {
  const settings = profile.settings;
  const name = profile.name;
  const roleArn = settings.get(ROLE_ARN) ?? "";
  if (roleArn === "") {
    return invalid(name, ROLE_ARN, `Profile "${name}" has an empty role_arn.`);
  }
  if (settings.has("mfa_serial")) {
    return {
      code: "MfaNotSupported",
      profile: name,
      keys: ["mfa_serial"],
      message: `Profile "${name}" needs an MFA code for its role (mfa_serial).`,
      hint: "rolechain cannot prompt for MFA codes; remove mfa_serial for a rolechain run.",
    };
  }
  const hop: ProfileHop = { profile: name, roleArn };
  const sessionName = settings.get("role_session_name");
  if (sessionName !== undefined) hop.roleSessionName = sessionName;
  const externalId = settings.get("external_id");
  if (externalId !== undefined) hop.externalId = externalId;
  const duration = settings.get("duration_seconds");
  if (duration !== undefined) {
    const seconds = toInteger(duration);
    if (seconds === undefined) {
      return invalid(
        name,
        "duration_seconds",
        `Profile "${name}" has duration_seconds = ${duration}, which is not a whole number of ` +
          "seconds. (The aws CLI silently ignores such a value; rolechain says so instead.)",
      );
    }
    hop.durationSeconds = seconds;
  }
  const region = settings.get("region") ?? defaultRegion;
  if (region !== undefined) hop.region = region;
  return hop;
}

/** Python's int() on a config string: optional sign, digits, `_` between digits. */
function toInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(trimmed)) return undefined;
  const value = Number(trimmed.replaceAll("_", ""));
  return Number.isSafeInteger(value) ? value : undefined;
}

function invalid(profile: string, key: string, message: string): ProfileError {
  return { code: "InvalidSetting", profile, keys: [key], message };
}
