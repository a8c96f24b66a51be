/**
 * Resolves a profile into the plan the chain engine executes, walking the profiles as the aws
 * CLI's AssumeRoleProvider does, but iteratively and without any AWS call:
 *
 * - the profile asked for is a role profile when it has `role_arn` (even with static keys of its
 *   own); it then takes credentials from `source_profile` or `credential_source`, never both;
 * - a source profile with static keys ends the walk there, whatever else it sets;
 * - a profile already visited is a loop, except a profile naming itself as its own source while
 *   holding static keys (its keys assume its role: one hop).
 *
 * Every check runs before the plan exists, so a loop or a broken profile never costs an
 * AssumeRole. Depth is not limited: a 1,000-profile chain is 1,000 hops.
 */
import { isParsedAwsFiles, parseAwsFiles } from "./parse-aws-files";
import {
  ACCESS_KEY_ID,
  CREDENTIAL_SOURCE,
  checkCredentialSource,
  checkStaticKeys,
  conflictingSources,
  explainNoCredentials,
  hasStaticKeys,
  isRoleProfile,
  loopError,
  missingSource,
  SECRET_ACCESS_KEY,
  SESSION_TOKENS,
  SOURCE_PROFILE,
  sourceNotFound,
} from "./profile-rules";
import { toProfileHop } from "./to-profile-hop";
import type {
  AwsFilesInput,
  AwsProfile,
  ParsedAwsFiles,
  ProfileChainBase,
  ProfileChainResult,
  ProfileError,
  ProfileHop,
} from "./types";

export interface ResolveProfileChainOptions {
  /**
   * Whether the server's environment holds AWS credentials, for `credential_source =
   * Environment`. Left undefined, resolution does not judge and the engine finds out.
   */
  environmentHasCredentials?: boolean;
}

/**
 * Resolves `profileName` to a base identity and the hops to make from it, in execution order.
 *
 * @example
 * const result = resolveProfileChain({ config, credentials }, "rolechain-101");
 * if (result.ok) result.plan.hops.length; // 101
 * else result.error.code; // e.g. "ProfileLoop", with result.error.loop
 */
export function resolveProfileChain(
  input: AwsFilesInput,
  profileName: string,
  options: ResolveProfileChainOptions = {},
): ProfileChainResult {
  const files = toParsed(input, profileName);
  if ("code" in files) return { ok: false, error: files };

  const { profiles } = files;
  const top = profiles.get(profileName);
  if (!top) return fail(profileNotFound(profileName, profiles));
  const defaultRegion = profiles.get("default")?.settings.get("region");

  const hops: ProfileHop[] = [];
  const visited = new Map<string, number>([[top.name, 0]]);
  const order = [top.name];
  let current = top;
  let isTop = true;
  for (;;) {
    if (!isTop && hasStaticKeys(current)) {
      const base = staticBase(current, defaultRegion);
      return "code" in base ? fail(base) : done(base);
    }
    if (!isRoleProfile(current)) {
      if (!hasStaticKeys(current)) {
        return fail(explainNoCredentials(current, isTop ? undefined : order.at(-2)));
      }
      const base = staticBase(current, defaultRegion);
      return "code" in base ? fail(base) : done(base);
    }

    const hop = toProfileHop(current, defaultRegion);
    if ("code" in hop) return fail(hop);
    hops.push(hop);

    const sourceName = current.settings.get(SOURCE_PROFILE);
    const credentialSource = current.settings.get(CREDENTIAL_SOURCE);
    if (sourceName !== undefined && credentialSource !== undefined) {
      return fail(conflictingSources(current));
    }
    if (credentialSource !== undefined) {
      const refused = checkCredentialSource(current, credentialSource);
      if (refused) return fail(refused);
      if (options.environmentHasCredentials === false) return fail(noEnvironment(current));
      return done({ kind: "environment", profile: current.name, region: regionOf(current) });
    }
    if (sourceName === undefined) return fail(missingSource(current));

    const source = profiles.get(sourceName);
    if (!source) return fail(sourceNotFound(current, sourceName));
    const seenAt = visited.get(sourceName);
    if (seenAt !== undefined) {
      // botocore's one exception: a profile sourcing itself to use its own static keys.
      const selfWithKeys = sourceName === current.name && hasStaticKeys(source);
      if (!selfWithKeys) return fail(loopError(profileName, [...order.slice(seenAt), sourceName]));
    } else {
      visited.set(sourceName, order.length);
      order.push(sourceName);
    }
    current = source;
    isTop = false;
  }

  function regionOf(profile: AwsProfile): string | undefined {
    return profile.settings.get("region") ?? defaultRegion;
  }

  function done(base: ProfileChainBase): ProfileChainResult {
    return { ok: true, plan: { profile: profileName, base, hops: hops.reverse() } };
  }
}

function fail(error: ProfileError): ProfileChainResult {
  return { ok: false, error };
}

function toParsed(input: AwsFilesInput, profileName: string): ParsedAwsFiles | ProfileError {
  if (isParsedAwsFiles(input)) return input;
  const parsed = parseAwsFiles(input);
  if (parsed.ok) return parsed.files;
  return {
    code: "ParseError",
    profile: profileName,
    message: parsed.error.message,
    file: parsed.error.file,
    line: parsed.error.line,
    hint: `Fix line ${parsed.error.line} of the ${parsed.error.file} file.`,
  };
}

function staticBase(
  profile: AwsProfile,
  defaultRegion: string | undefined,
): ProfileChainBase | ProfileError {
  const partial = checkStaticKeys(profile);
  if (partial) return partial;
  const settings = profile.settings;
  const sessionToken = SESSION_TOKENS.map((key) => settings.get(key)).find((v) => v !== undefined);
  return {
    kind: "static",
    profile: profile.name,
    accessKeyId: settings.get(ACCESS_KEY_ID) ?? "",
    secretAccessKey: settings.get(SECRET_ACCESS_KEY) ?? "",
    ...(sessionToken === undefined ? {} : { sessionToken }),
    region: settings.get("region") ?? defaultRegion,
  };
}

function noEnvironment(profile: AwsProfile): ProfileError {
  return {
    code: "NoCredentials",
    profile: profile.name,
    keys: [CREDENTIAL_SOURCE],
    message:
      `Profile "${profile.name}" takes credentials from the environment, and the server's ` +
      "environment holds none.",
    hint: "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the rolechain server.",
  };
}

function profileNotFound(name: string, profiles: ReadonlyMap<string, AwsProfile>): ProfileError {
  const known = [...profiles.keys()];
  const listed = known.slice(0, 10).join(", ");
  const more = known.length > 10 ? ` and ${known.length - 10} more` : "";
  return {
    code: "ProfileNotFound",
    profile: name,
    message: `There is no profile "${name}" in the config or credentials file.`,
    hint: known.length === 0 ? "Both files define no profile." : `Profiles: ${listed}${more}.`,
  };
}
