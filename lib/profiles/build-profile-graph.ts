/**
 * The profile graph for display: a node per profile showing what it holds (never a secret), an
 * edge per `source_profile`, and the problems that would stop a chain, each with its profile.
 *
 * Loops follow resolution's rules: walking on from a source profile stops at static keys, so
 * the walk from each profile is a path in a graph where every profile has at most one next
 * profile. All loops are found in one linear pass over that graph, with no recursion.
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
  maskAccessKeyId,
  missingSource,
  profileKind,
  ROLE_ARN,
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
  ProfileEdge,
  ProfileError,
  ProfileGraph,
  ProfileNode,
  ProfileProblem,
} from "./types";

/**
 * Builds the graph of every profile in the files. Parse errors give an empty graph carrying
 * `errors`.
 *
 * @example
 * const graph = buildProfileGraph({ config });
 * graph.loops; // [["andy", "prod", "dev", "andy"]]
 */
export function buildProfileGraph(input: AwsFilesInput): ProfileGraph {
  let files: ParsedAwsFiles;
  if (isParsedAwsFiles(input)) files = input;
  else {
    const parsed = parseAwsFiles(input);
    if (!parsed.ok) {
      const empty = { nodes: [], edges: [], problems: [], loops: [] };
      return { ...empty, warnings: parsed.warnings, errors: parsed.errors };
    }
    files = parsed.files;
  }
  const { profiles } = files;
  const problems: ProfileProblem[] = [];
  for (const profile of profiles.values()) {
    for (const error of checkProfile(profile, profiles)) problems.push(toProblem(error));
  }
  const loops = findLoops(profiles);
  for (const loop of loops) problems.push(toProblem(loopError(loop[0] ?? "", loop)));

  const loopEdges = new Set<string>();
  const loopNodes = new Set<string>();
  for (const loop of loops) {
    for (let i = 0; i + 1 < loop.length; i += 1) {
      loopNodes.add(loop[i] ?? "");
      loopEdges.add(`${loop[i + 1]}->${loop[i]}`);
    }
  }
  const nodes: ProfileNode[] = [];
  const edges: ProfileEdge[] = [];
  for (const profile of profiles.values()) {
    nodes.push(toNode(profile, loopNodes.has(profile.name)));
    const source = profile.settings.get(SOURCE_PROFILE);
    if (source === undefined || !profiles.has(source)) continue;
    const id = `${source}->${profile.name}`;
    edges.push({ id, source, target: profile.name, inLoop: loopEdges.has(id) });
  }
  return { nodes, edges, problems, loops, warnings: files.warnings, errors: [] };
}

/** The problems one profile has on its own, as resolution would report them. */
function checkProfile(
  profile: AwsProfile,
  profiles: ReadonlyMap<string, AwsProfile>,
): ProfileError[] {
  const found: ProfileError[] = [];
  if (hasStaticKeys(profile)) {
    const partial = checkStaticKeys(profile);
    if (partial) found.push(partial);
  }
  if (!isRoleProfile(profile)) {
    const kind = profileKind(profile);
    if (kind === "sso" || kind === "process" || kind === "web-identity") {
      found.push(explainNoCredentials(profile));
    }
    return found;
  }
  const hop = toProfileHop(profile, undefined);
  if ("code" in hop) found.push(hop);
  const source = profile.settings.get(SOURCE_PROFILE);
  const credentialSource = profile.settings.get(CREDENTIAL_SOURCE);
  if (source !== undefined && credentialSource !== undefined) {
    found.push(conflictingSources(profile));
  } else if (credentialSource !== undefined) {
    const refused = checkCredentialSource(profile, credentialSource);
    if (refused) found.push(refused);
  } else if (source === undefined) {
    found.push(missingSource(profile));
  } else {
    const named = profiles.get(source);
    if (!named) found.push(sourceNotFound(profile, source));
    else if (profileKind(named) === "empty") found.push(explainNoCredentials(named, profile.name));
  }
  return found;
}

/**
 * Every loop once, rotated to start at its member that comes first in the files.
 *
 * `next` is where walking on from a source profile goes. Cycles of `next` are loops for any
 * profile that reaches them. One more kind exists only for the profile asked for itself: a role
 * profile with static keys whose chain comes back to it (botocore calls that a loop too, as its
 * keys are not used once it has been visited, unless it names itself directly).
 */
function findLoops(profiles: ReadonlyMap<string, AwsProfile>): string[][] {
  const position = new Map<string, number>();
  for (const name of profiles.keys()) position.set(name, position.size);
  const next = (name: string): string | undefined => {
    const profile = profiles.get(name);
    if (!profile || hasStaticKeys(profile) || !isRoleProfile(profile)) return undefined;
    if (profile.settings.has(CREDENTIAL_SOURCE)) return undefined;
    const source = profile.settings.get(SOURCE_PROFILE);
    return source !== undefined && profiles.has(source) ? source : undefined;
  };

  const CYCLE = "\u0000cycle";
  const terminal = new Map<string, string>();
  const loops: string[][] = [];
  for (const start of profiles.keys()) {
    if (terminal.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let at: string | undefined = start;
    let end = "";
    while (at !== undefined) {
      const known = terminal.get(at);
      if (known !== undefined) {
        end = known;
        break;
      }
      const seen = onPath.get(at);
      if (seen !== undefined) {
        const cycle = path.slice(seen);
        for (const name of cycle) terminal.set(name, CYCLE);
        loops.push(rotate(cycle, position));
        end = CYCLE;
        break;
      }
      onPath.set(at, path.length);
      path.push(at);
      const following = next(at);
      if (following === undefined) end = at;
      at = following;
    }
    for (const name of path) if (!terminal.has(name)) terminal.set(name, end);
  }

  for (const profile of profiles.values()) {
    const source = profile.settings.get(SOURCE_PROFILE);
    if (!hasStaticKeys(profile) || !isRoleProfile(profile) || source === undefined) continue;
    if (source === profile.name || profile.settings.has(CREDENTIAL_SOURCE)) continue;
    if (!profiles.has(source) || terminal.get(source) !== profile.name) continue;
    const loop = [profile.name];
    for (let at: string | undefined = source; at !== undefined; at = next(at)) loop.push(at);
    loops.push(loop);
  }
  return loops;
}

function rotate(cycle: string[], position: ReadonlyMap<string, number>): string[] {
  let first = 0;
  cycle.forEach((name, i) => {
    const best = cycle[first] ?? "";
    if ((position.get(name) ?? 0) < (position.get(best) ?? 0)) first = i;
  });
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0] ?? ""];
}

function toProblem(error: ProfileError): ProfileProblem {
  const { code, profile, message, keys, loop, hint } = error;
  return {
    code,
    profile,
    message,
    ...(keys ? { keys } : {}),
    ...(loop ? { loop } : {}),
    ...(hint ? { hint } : {}),
  };
}

function toNode(profile: AwsProfile, inLoop: boolean): ProfileNode {
  const get = (key: string) => profile.settings.get(key);
  const node: ProfileNode = {
    id: profile.name,
    kind: profileKind(profile),
    files: [...profile.files],
    inLoop,
  };
  if (hasStaticKeys(profile)) {
    const keyId = get(ACCESS_KEY_ID);
    node.staticKeys = {
      accessKeyId: keyId === undefined ? "" : maskAccessKeyId(keyId),
      hasSecretAccessKey: profile.settings.has(SECRET_ACCESS_KEY),
      hasSessionToken: SESSION_TOKENS.some((key) => profile.settings.has(key)),
    };
  }
  const plain = {
    roleArn: get(ROLE_ARN),
    sourceProfile: get(SOURCE_PROFILE),
    credentialSource: get(CREDENTIAL_SOURCE),
    region: get("region"),
    roleSessionName: get("role_session_name"),
    durationSeconds: get("duration_seconds"),
    externalId: get("external_id"),
    mfaSerial: get("mfa_serial"),
  };
  for (const [key, value] of Object.entries(plain)) {
    if (value !== undefined) Object.assign(node, { [key]: value });
  }
  const sso = {
    session: get("sso_session"),
    startUrl: get("sso_start_url"),
    accountId: get("sso_account_id"),
    roleName: get("sso_role_name"),
  };
  if (Object.values(sso).some((value) => value !== undefined)) {
    node.sso = Object.fromEntries(Object.entries(sso).filter(([, value]) => value !== undefined));
  }
  return node;
}
