/**
 * The sandbox's STS actions: AssumeRole and GetCallerIdentity, with AWS's validation order,
 * error codes and texts. Sessions are self-describing (see session-token.ts): nothing here
 * writes state, so memory does not grow with the number of sessions issued.
 *
 * Known differences from AWS (also listed in the README's sandbox section):
 * - PackedPolicySize is a model: session tag keys and values plus the session policy, in bytes,
 *   against 4096 bytes, and the tag count against 50; AWS's packing is not public.
 * - A changed SourceIdentity in a chained call is refused as AccessDenied on
 *   sts:SetSourceIdentity (AWS documents only that the request "will be denied").
 * - A session that carries a source identity (set now or inherited) needs sts:SetSourceIdentity
 *   from both sides on every later hop, as AWS documents for role chaining; inherited
 *   transitive tags alone do not need sts:TagSession.
 * - Managed session policies (PolicyArns) are not supported; an inline `Policy` is.
 */
import {
  isAllowed,
  notAuthorizedMessage,
  parsePolicy,
  principalContext,
  type RequestContext,
} from "./authorize";
import type { Caller, RoleRecord, SandboxKnobs, SessionClaims, StsStateReader } from "./contracts";
import {
  AccessDenied,
  InvalidParameterValue,
  MalformedPolicyDocument,
  PackedPolicyTooLarge,
  ValidationError,
} from "./errors";
import { checkPolicyGrammar } from "./iam-validate";
import { readMemberList, readTagList, type Tag } from "./query";
import { issueSessionCredentials } from "./session-token";

export interface StsContext {
  state: StsStateReader;
  caller: Caller;
  /** Sandbox clock (real clock plus the clock-offset knob), epoch ms. */
  now: number;
  masterKey: Buffer;
  knobs: SandboxKnobs;
  requestId: string;
}

export interface AssumeRoleResult {
  Credentials: {
    AccessKeyId: string;
    SecretAccessKey: string;
    SessionToken: string;
    /** ISO 8601 UTC, whole seconds, e.g. `2026-12-04T17:00:00Z`. */
    Expiration: string;
  };
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  /** Present when the request passed session tags or a session policy. */
  PackedPolicySize?: number;
  SourceIdentity?: string;
}

export interface GetCallerIdentityResult {
  UserId: string;
  Account: string;
  Arn: string;
}

/** AWS's texts, in one place. */
export const StsMessages = {
  chainedDuration:
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role " +
    "chaining.",
  maxSessionDuration:
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
  duplicateTagKeys: "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
  transitiveKeyNotInTags:
    "The specified transitive tag key must be included in the requested tags.",
  transitiveConflict:
    "One of the specified transitive tag keys can't be set because it conflicts with a " +
    "transitive tag key from the calling session.",
  policyNotJson: "The policy is not in the valid JSON format.",
  invalidArn: (arn: string) => `${arn} is invalid`,
  packedTooLarge: (percent: number) =>
    `Packed size of session tags consumes ${percent}% of allotted space.`,
} as const;

const DEFAULT_DURATION_SECONDS = 3600;
const CHAINED_MAX_SECONDS = 3600;
const MAX_TAGS = 50;
const PACKED_BYTES_LIMIT = 4096;
const NAME_PATTERN = /^[\w+=,.@-]*$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]*$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Collects constraint failures and reports them as AWS does: all at once, counted. */
class Constraints {
  private readonly failures: string[] = [];

  check(field: string, value: string | undefined, rule: StringRule): void {
    if (value === undefined) {
      if (rule.required) this.fail(field, "null", "Member must not be null");
      return;
    }
    if (value.length < rule.min) {
      this.fail(field, value, `Member must have length greater than or equal to ${rule.min}`);
    } else if (value.length > rule.max) {
      this.fail(field, value, `Member must have length less than or equal to ${rule.max}`);
    } else if (rule.pattern && !rule.pattern.test(value)) {
      const source = rule.pattern.source.replace(/^\^/, "").replace(/\$$/, "");
      this.fail(field, value, `Member must satisfy regular expression pattern: ${source}`);
    }
  }

  checkRange(field: string, text: string | undefined, min: number, max: number): void {
    if (text === undefined) return;
    const value = Number(text);
    if (!/^-?\d+$/.test(text)) this.fail(field, text, "Member must be an integer");
    else if (value < min)
      this.fail(field, text, `Member must have value greater than or equal to ${min}`);
    else if (value > max)
      this.fail(field, text, `Member must have value less than or equal to ${max}`);
  }

  checkCount(field: string, shown: string, count: number, max: number): void {
    if (count > max)
      this.fail(field, shown, `Member must have length less than or equal to ${max}`);
  }

  throwIfAny(): void {
    const n = this.failures.length;
    if (n === 0) return;
    const head = n === 1 ? "1 validation error detected: " : `${n} validation errors detected: `;
    throw new ValidationError(head + this.failures.join("; "));
  }

  private fail(field: string, value: string, rule: string): void {
    const shown = value === "null" ? "null" : `'${value}'`;
    this.failures.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${rule}`);
  }
}

interface StringRule {
  min: number;
  max: number;
  pattern?: RegExp;
  required?: boolean;
}

interface AssumeRoleRequest {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
  sourceIdentity?: string;
  tags: Tag[];
  transitiveTagKeys: string[];
  policy?: string;
}

function readRequest(params: Record<string, string>): AssumeRoleRequest {
  const tags = readTagList(params, "Tags.member", "tags");
  const transitiveTagKeys = readMemberList(params, "TransitiveTagKeys.member");
  const rules = new Constraints();
  rules.check("roleArn", params.RoleArn, { min: 20, max: 2048, required: true });
  rules.check("roleSessionName", params.RoleSessionName, {
    min: 2,
    max: 64,
    pattern: NAME_PATTERN,
    required: true,
  });
  rules.checkRange("durationSeconds", params.DurationSeconds, 900, 43200);
  rules.check("externalId", params.ExternalId, { min: 2, max: 1224, pattern: EXTERNAL_ID_PATTERN });
  rules.check("sourceIdentity", params.SourceIdentity, { min: 2, max: 64, pattern: NAME_PATTERN });
  rules.check("policy", params.Policy, { min: 1, max: 2048 });
  rules.checkCount("tags", `[${tags.length} tags]`, tags.length, MAX_TAGS);
  for (const [i, tag] of tags.entries()) {
    rules.check(`tags.${i + 1}.member.key`, tag.Key, {
      min: 1,
      max: 128,
      pattern: TAG_KEY_PATTERN,
    });
    rules.check(`tags.${i + 1}.member.value`, tag.Value, {
      min: 0,
      max: 256,
      pattern: TAG_VALUE_PATTERN,
    });
  }
  rules.checkCount(
    "transitiveTagKeys",
    `[${transitiveTagKeys.length} keys]`,
    transitiveTagKeys.length,
    MAX_TAGS,
  );
  for (const [i, key] of transitiveTagKeys.entries()) {
    rules.check(`transitiveTagKeys.${i + 1}.member`, key, {
      min: 1,
      max: 128,
      pattern: TAG_KEY_PATTERN,
    });
  }
  rules.throwIfAny();
  return {
    roleArn: params.RoleArn as string,
    sessionName: params.RoleSessionName as string,
    durationSeconds:
      params.DurationSeconds === undefined
        ? DEFAULT_DURATION_SECONDS
        : Number(params.DurationSeconds),
    externalId: params.ExternalId,
    sourceIdentity: params.SourceIdentity,
    tags,
    transitiveTagKeys,
    policy: params.Policy,
  };
}

/** `arn:partition:service:region:account:resource`; AWS's "<arn> is invalid" otherwise. */
function checkArnShape(arn: string): void {
  const parts = arn.split(":");
  const resource = parts.slice(5).join(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2] || resource === "") {
    throw new ValidationError(StsMessages.invalidArn(arn));
  }
}

/** The role a well-formed ARN names in this sandbox's account, if any. */
function findRole(state: StsStateReader, arn: string): RoleRecord | undefined {
  const match = /^arn:aws:iam::(\d{12}):role(\/.*\/|\/)([^/]+)$/.exec(arn);
  if (!match || match[1] !== state.accountId) return undefined;
  const role = state.getRoleByName(match[3] as string);
  return role && role.path === match[2] ? role : undefined;
}

const lower = (keys: Iterable<string>) => new Set([...keys].map((key) => key.toLowerCase()));

/** Session tags and transitive keys of the new session: what the caller passes down, plus the
 * request's own, with AWS's rules on duplicates and overrides. */
function resolveTags(caller: Caller, request: AssumeRoleRequest) {
  const requested = lower(request.tags.map((tag) => tag.Key));
  if (requested.size !== request.tags.length) {
    throw new InvalidParameterValue(StsMessages.duplicateTagKeys);
  }
  for (const key of request.transitiveTagKeys) {
    if (!requested.has(key.toLowerCase())) {
      throw new InvalidParameterValue(StsMessages.transitiveKeyNotInTags);
    }
  }
  // Without a prototype: `__proto__` is a valid tag key and must stay an ordinary key.
  const inherited: Record<string, string> = Object.create(null);
  const inheritedKeys: string[] = [];
  if (caller.kind === "assumed-role") {
    const transitive = lower(caller.session.transitiveTagKeys);
    for (const [key, value] of Object.entries(caller.session.tags)) {
      if (!transitive.has(key.toLowerCase())) continue;
      if (requested.has(key.toLowerCase())) {
        throw new InvalidParameterValue(StsMessages.transitiveConflict);
      }
      inherited[key] = value;
      inheritedKeys.push(key);
    }
  }
  const newTransitive = lower(request.transitiveTagKeys);
  const tags: Record<string, string> = Object.assign(Object.create(null), inherited);
  const transitiveTagKeys = [...inheritedKeys];
  for (const tag of request.tags) {
    tags[tag.Key] = tag.Value;
    if (newTransitive.has(tag.Key.toLowerCase())) transitiveTagKeys.push(tag.Key);
  }
  return { tags, transitiveTagKeys };
}

/** See the module comment: a model of AWS's packed size, in percent. */
function packedPolicySize(tags: Record<string, string>, policy: string | undefined): number {
  const entries = Object.entries(tags);
  let bytes = policy === undefined ? 0 : Buffer.byteLength(policy);
  for (const [key, value] of entries) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return Math.max(
    Math.ceil((100 * bytes) / PACKED_BYTES_LIMIT),
    Math.ceil((100 * entries.length) / MAX_TAGS),
  );
}

/** A session policy is an identity policy: JSON, then the same grammar IAM checks. */
async function minifyPolicy(text: string): Promise<string> {
  const parsed = parsePolicy(text);
  if (parsed === undefined) throw new MalformedPolicyDocument(StsMessages.policyNotJson);
  await checkPolicyGrammar(text, "session");
  return JSON.stringify(parsed);
}

/** The request keys AWS adds for AssumeRole on top of the caller's global keys. */
function assumeRoleContext(
  ctx: StsContext,
  role: RoleRecord,
  request: AssumeRoleRequest,
  sourceIdentity: string | undefined,
): RequestContext {
  const context = principalContext(ctx.state, ctx.caller, ctx.now);
  context["sts:RoleSessionName"] = request.sessionName;
  if (request.externalId !== undefined) context["sts:ExternalId"] = request.externalId;
  if (sourceIdentity !== undefined) context["sts:SourceIdentity"] = sourceIdentity;
  for (const tag of role.tags) {
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    context[`iam:ResourceTag/${tag.Key}`] = tag.Value;
  }
  if (request.tags.length > 0) {
    for (const tag of request.tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
    context["aws:TagKeys"] = request.tags.map((tag) => tag.Key);
  }
  if (request.transitiveTagKeys.length > 0) {
    context["sts:TransitiveTagKeys"] = request.transitiveTagKeys;
  }
  return context;
}

/**
 * STS AssumeRole. `params` are the request's flat Query fields (RoleArn, RoleSessionName,
 * DurationSeconds, ExternalId, SourceIdentity, Tags.member.N.Key/Value, TransitiveTagKeys.member.N,
 * Policy). Throws a `SandboxError` carrying AWS's code and text.
 */
export async function assumeRole(
  ctx: StsContext,
  params: Record<string, string>,
): Promise<AssumeRoleResult> {
  const { caller, state, now } = ctx;
  const request = readRequest(params);
  checkArnShape(request.roleArn);
  const { tags, transitiveTagKeys } = resolveTags(caller, request);
  const sessionPolicy =
    request.policy === undefined ? undefined : await minifyPolicy(request.policy);

  const chained = caller.kind === "assumed-role";
  if (chained && request.durationSeconds > CHAINED_MAX_SECONDS) {
    throw new ValidationError(StsMessages.chainedDuration);
  }

  const deny = (action: string) =>
    new AccessDenied(notAuthorizedMessage(caller.arn, action, request.roleArn));
  const role = findRole(state, request.roleArn);
  // A missing role and a role still "propagating" look exactly like a denial, as on AWS.
  if (!role || now - role.createDate < ctx.knobs.propagationDelayMs) throw deny("sts:AssumeRole");

  const inheritedSourceIdentity = chained ? caller.session.sourceIdentity : undefined;
  if (
    inheritedSourceIdentity !== undefined &&
    request.sourceIdentity !== undefined &&
    request.sourceIdentity !== inheritedSourceIdentity
  ) {
    throw deny("sts:SetSourceIdentity");
  }
  const sourceIdentity = inheritedSourceIdentity ?? request.sourceIdentity;

  const options = {
    now,
    resourcePolicy: role.assumeRolePolicyDocument,
    resourceAccount: role.accountId,
    context: assumeRoleContext(ctx, role, request, sourceIdentity),
  };
  const assume = await isAllowed(state, caller, "sts:AssumeRole", role.arn, options);
  // A role assuming itself must be named in its own trust policy; trusting the account root
  // (plus an identity Allow) is not enough since AWS's 2023 change.
  const selfAssume = chained && caller.session.roleId === role.roleId;
  if (!assume.allowed || (selfAssume && !assume.namedInResourcePolicy)) {
    throw deny("sts:AssumeRole");
  }
  if (request.tags.length > 0) {
    const tagging = await isAllowed(state, caller, "sts:TagSession", role.arn, options);
    if (!tagging.allowed) throw deny("sts:TagSession");
  }
  if (sourceIdentity !== undefined) {
    const setting = await isAllowed(state, caller, "sts:SetSourceIdentity", role.arn, options);
    if (!setting.allowed) throw deny("sts:SetSourceIdentity");
  }

  if (request.durationSeconds > role.maxSessionDuration) {
    throw new ValidationError(StsMessages.maxSessionDuration);
  }
  const packed = packedPolicySize(tags, sessionPolicy);
  if (packed > 100) throw new PackedPolicyTooLarge(StsMessages.packedTooLarge(packed));

  // Whole seconds, so the Expiration text and the sealed expiry agree exactly.
  const issuedAt = Math.floor(now / 1000) * 1000;
  const claims: SessionClaims = {
    accountId: role.accountId,
    roleArn: role.arn,
    roleName: role.roleName,
    roleId: role.roleId,
    sessionName: request.sessionName,
    issuedAt,
    expiresAt: issuedAt + request.durationSeconds * 1000,
    chained,
    tags,
    transitiveTagKeys,
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    ...(sessionPolicy === undefined ? {} : { sessionPolicy }),
  };
  const credentials = issueSessionCredentials(ctx.masterKey, claims);
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: new Date(claims.expiresAt).toISOString().replace(".000Z", "Z"),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${request.sessionName}`,
      Arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${request.sessionName}`,
    },
    ...(request.tags.length > 0 || sessionPolicy !== undefined ? { PackedPolicySize: packed } : {}),
    ...(sourceIdentity === undefined ? {} : { SourceIdentity: sourceIdentity }),
  };
}

/** STS GetCallerIdentity: needs no permission, as on AWS. */
export function getCallerIdentity(ctx: StsContext): GetCallerIdentityResult {
  const { caller } = ctx;
  const UserId =
    caller.kind === "user"
      ? caller.userId
      : `${caller.session.roleId}:${caller.session.sessionName}`;
  return { UserId, Account: caller.accountId, Arn: caller.arn };
}
