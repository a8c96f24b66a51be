/**
 * IAM policy evaluation for the sandbox, done by `@cloud-copilot/iam-simulate` (AGPL-3.0): we
 * gather the policies and fill the request context the way AWS fills it; the library decides.
 * Nothing here re-implements IAM's evaluation logic.
 *
 * AssumeRole is the hot path of a long ping-pong run, where the same two trust policies are read
 * a million times, so two bounded caches sit in front of the library:
 * - parsed policy documents, keyed by their text;
 * - decisions, keyed by everything that can change one (see `decisionKey`). The library still
 *   makes every decision; the cache only remembers it for an identical question.
 */
import { createHash } from "node:crypto";
import { type RequestAnalysis, runSimulation } from "@cloud-copilot/iam-simulate";
import type { Caller, StsStateReader } from "./contracts";

/** A request context: condition key -> value(s), keys spelled as AWS spells them. */
export type RequestContext = Record<string, string | string[]>;

export interface PolicyEvaluation {
  /** The ARN that made the request: a user ARN or an assumed-role (session) ARN. */
  principalArn: string;
  /** e.g. `sts:AssumeRole`. */
  action: string;
  resourceArn: string;
  resourceAccount: string;
  /** The principal's identity policies, as JSON texts. */
  identityPolicies: string[];
  /** The session policy of a role session, as JSON text. */
  sessionPolicy?: string;
  /** The resource's policy (for a role: its trust policy), as JSON text. */
  resourcePolicy?: string;
  context: RequestContext;
}

export interface Decision {
  allowed: boolean;
  /** The library's verdict, or `Invalid` when a policy or the request could not be evaluated. */
  result: "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | "Invalid";
  /**
   * The resource policy allows the principal by its own ARN (or its role's ARN for a session),
   * not merely through its account. A role assuming itself needs this.
   */
  namedInResourcePolicy: boolean;
  /** Why an `Invalid` evaluation failed, for the server log. */
  detail?: string;
}

const POLICY_CACHE_LIMIT = 2000;
/** Parsed policy documents by JSON text; a parse failure is cached as `undefined`. */
const parsedPolicies = new Map<string, unknown>();

/**
 * Parses a policy document, from the cache when it was seen recently. Returns `undefined` for
 * text that is not JSON. Callers must not mutate the result (it is shared).
 */
export function parsePolicy(text: string): unknown {
  if (parsedPolicies.has(text)) {
    const cached = parsedPolicies.get(text);
    // Re-insert so the Map's insertion order doubles as least-recently-used order.
    parsedPolicies.delete(text);
    parsedPolicies.set(text, cached);
    return cached;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: IAM refuses such documents when they are written; a stored one that fails here
    // is evaluated as "no policy", which denies. Remembered as undefined, not re-parsed.
    parsed = undefined;
  }
  parsedPolicies.set(text, parsed);
  if (parsedPolicies.size > POLICY_CACHE_LIMIT) {
    const oldest = parsedPolicies.keys().next().value;
    if (oldest !== undefined) parsedPolicies.delete(oldest);
  }
  return parsed;
}

/** How many parsed policies the cache holds (for tests of its bound). */
export function policyCacheSize(): number {
  return parsedPolicies.size;
}

type StatementAnalysis = NonNullable<
  RequestAnalysis["resourceAnalysis"]
>["allowStatements"][number];
const NAMED_MATCHES = new Set<StatementAnalysis["principalMatch"]>([
  "Match",
  "SessionRoleMatch",
  "SessionUserMatch",
]);

function invalid(detail: string): Decision {
  return { allowed: false, result: "Invalid", namedInResourcePolicy: false, detail };
}

/**
 * Evaluates one request against the given policies, as IAM would: explicit deny wins; in the
 * same account a trust policy naming the principal suffices alone, one naming only the
 * account needs an identity Allow as well; across accounts both sides must allow.
 */
export async function evaluatePolicies(request: PolicyEvaluation): Promise<Decision> {
  const key = decisionKey(request);
  const cached = decisions.get(key);
  if (cached) {
    decisions.delete(key);
    decisions.set(key, cached);
    return cached;
  }
  const decision = await evaluateUncached(request);
  decisions.set(key, decision);
  if (decisions.size > DECISION_CACHE_LIMIT) {
    const oldest = decisions.keys().next().value;
    if (oldest !== undefined) decisions.delete(oldest);
  }
  return decision;
}

const DECISION_CACHE_LIMIT = 10_000;
/** Decisions by a SHA-256 of what they depend on; bounded, least recently used first out. */
const decisions = new Map<string, Decision>();

/** How many decisions the cache holds (for tests of its bound). */
export function decisionCacheSize(): number {
  return decisions.size;
}

/**
 * What a decision can depend on, hashed. The policies, action and resource are taken whole.
 * A context key can only matter if its name appears in one of the policies (as a condition
 * key or a `${...}` variable), so only those keys and their values are taken: that leaves out
 * the clock, the session name and the like unless a policy reads them. Likewise a session's
 * own name can only matter if a policy names an assumed-role ARN; otherwise every session of
 * a role asks the same question (the library matches a role ARN in a policy to any of the
 * role's sessions by account and role name).
 */
function decisionKey(request: PolicyEvaluation): string {
  const texts = [
    ...request.identityPolicies,
    request.sessionPolicy ?? "",
    request.resourcePolicy ?? "",
  ]
    .map((text) => {
      const parsed = parsePolicy(text);
      // Re-serialised, so a key spelled with JSON escapes is still found by name.
      return (parsed === undefined ? text : JSON.stringify(parsed)).toLowerCase();
    })
    .join("\n");
  const session = /^arn:([^:]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(
    request.principalArn,
  );
  const principal =
    session && !texts.includes("assumed-role")
      ? `session-of:${session[1]}:${session[2]}:${session[3]?.toLowerCase()}`
      : request.principalArn;
  const context = Object.entries(request.context)
    .filter(([name]) => texts.includes(name.toLowerCase()))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256")
    .update(
      JSON.stringify([
        principal,
        request.action,
        request.resourceArn,
        request.resourceAccount,
        request.identityPolicies,
        request.sessionPolicy ?? null,
        request.resourcePolicy ?? null,
        context,
      ]),
    )
    .digest("base64");
}

async function evaluateUncached(request: PolicyEvaluation): Promise<Decision> {
  const identityPolicies = [];
  for (const [index, text] of request.identityPolicies.entries()) {
    const policy = parsePolicy(text);
    if (policy === undefined) return invalid(`identity policy ${index + 1} is not JSON`);
    identityPolicies.push({ name: `identity-${index + 1}`, policy });
  }
  const resourcePolicy =
    request.resourcePolicy === undefined ? undefined : parsePolicy(request.resourcePolicy);
  if (request.resourcePolicy !== undefined && resourcePolicy === undefined) {
    return invalid("resource policy is not JSON");
  }
  const sessionPolicy =
    request.sessionPolicy === undefined ? undefined : parsePolicy(request.sessionPolicy);

  const response = await runSimulation(
    {
      request: {
        principal: request.principalArn,
        action: request.action,
        resource: { resource: request.resourceArn, accountId: request.resourceAccount },
        contextVariables: request.context,
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      sessionPolicy,
    },
    { simulationMode: "Strict" },
  );
  if (response.resultType === "error") return invalid(response.errors.message);
  const analysis =
    response.resultType === "single" ? response.result.analysis : response.results[0]?.analysis;
  const namedInResourcePolicy = (analysis?.resourceAnalysis?.allowStatements ?? []).some(
    (statement) => NAMED_MATCHES.has(statement.principalMatch),
  );
  return {
    allowed: response.overallResult === "Allowed",
    result: response.overallResult,
    namedInResourcePolicy,
  };
}

/** Where a policy document sits in a request: what it is checked as. */
export type PolicyKind = "identity" | "trust" | "session";

const CHECK_ACCOUNT = "123456789012";
/** Verdicts of `policySyntaxError` by kind and text; bounded like the caches above. */
const checkedPolicies = new Map<string, string | null>();

/**
 * What the evaluator would refuse in a policy document, or undefined when it can evaluate it.
 * IAM refuses such documents when they are written; without this check a role would store a
 * policy that later makes every request of its sessions an unexplained denial.
 *
 * The library is the judge here too: it validates the policies of every simulation, so one
 * simulation with the document in its slot asks exactly the question evaluation will ask.
 */
export async function policySyntaxError(
  text: string,
  kind: PolicyKind,
): Promise<string | undefined> {
  const key = `${kind}\n${text}`;
  const cached = checkedPolicies.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const policy = parsePolicy(text);
  let verdict: string | undefined = "the policy is not JSON";
  if (policy !== undefined) {
    const response = await runSimulation(
      {
        request: {
          // A session policy counts only for a session, so only a session principal has it read.
          principal:
            kind === "session"
              ? `arn:aws:sts::${CHECK_ACCOUNT}:assumed-role/policy-check/check`
              : `arn:aws:iam::${CHECK_ACCOUNT}:user/policy-check`,
          action: "sts:AssumeRole",
          resource: {
            resource: `arn:aws:iam::${CHECK_ACCOUNT}:role/policy-check`,
            accountId: CHECK_ACCOUNT,
          },
          contextVariables: {},
        },
        identityPolicies: kind === "identity" ? [{ name: "checked", policy }] : [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: kind === "trust" ? policy : undefined,
        sessionPolicy: kind === "session" ? policy : undefined,
      },
      { simulationMode: "Strict" },
    );
    const errors =
      response.resultType !== "error"
        ? []
        : kind === "identity"
          ? (response.errors.identityPolicyErrors?.checked ?? [])
          : kind === "trust"
            ? (response.errors.resourcePolicyErrors ?? [])
            : (response.errors.sessionPolicyErrors ?? []);
    const first = errors[0];
    verdict = first === undefined ? undefined : `${first.path}: ${first.message}`;
  }
  checkedPolicies.set(key, verdict ?? null);
  if (checkedPolicies.size > POLICY_CACHE_LIMIT) {
    const oldest = checkedPolicies.keys().next().value;
    if (oldest !== undefined) checkedPolicies.delete(oldest);
  }
  return verdict;
}

/**
 * Principal tags as AWS puts them in `aws:PrincipalTag/*`: a user's IAM tags; for a session,
 * the role's IAM tags overridden (ignoring case) by the session's tags.
 */
export function principalTagsOf(state: StsStateReader, caller: Caller): Record<string, string> {
  if (caller.kind === "user") return state.getUserTags(caller.userName);
  // Without a prototype: a role tag keyed `__proto__` must stay an ordinary key.
  const tags: Record<string, string> = Object.create(null);
  const sessionKeys = new Set(Object.keys(caller.session.tags).map((key) => key.toLowerCase()));
  for (const tag of currentRoleOf(state, caller)?.tags ?? []) {
    if (!sessionKeys.has(tag.Key.toLowerCase())) tags[tag.Key] = tag.Value;
  }
  return Object.assign(tags, caller.session.tags);
}

/** The role a session belongs to, if it still exists (a role re-created under the same name is
 * another role: its id differs, and the old sessions get none of its permissions). */
function currentRoleOf(state: StsStateReader, caller: Extract<Caller, { kind: "assumed-role" }>) {
  const role = state.getRoleByName(caller.session.roleName);
  return role?.roleId === caller.session.roleId ? role : undefined;
}

/** The caller's identity policies: a user's; for a session, its role's inline policies. */
export function identityPoliciesOf(state: StsStateReader, caller: Caller): string[] {
  if (caller.kind === "user") return state.getUserPolicies(caller.userName);
  const role = currentRoleOf(state, caller);
  return role ? state.getRolePolicies(role.roleName) : [];
}

/**
 * The global condition keys AWS puts in every request from this caller: who it is, its tags,
 * its source identity, and the time.
 */
export function principalContext(
  state: StsStateReader,
  caller: Caller,
  now: number,
): RequestContext {
  const context: RequestContext = {
    "aws:PrincipalAccount": caller.accountId,
    "aws:CurrentTime": new Date(now).toISOString(),
    "aws:EpochTime": String(Math.floor(now / 1000)),
    // The sandbox listens on plain HTTP on loopback.
    "aws:SecureTransport": "false",
  };
  if (caller.kind === "user") {
    context["aws:PrincipalArn"] = caller.arn;
    context["aws:PrincipalType"] = "User";
    context["aws:userid"] = caller.userId;
    context["aws:username"] = caller.userName;
  } else {
    const { session } = caller;
    context["aws:PrincipalArn"] = session.roleArn;
    context["aws:PrincipalType"] = "AssumedRole";
    context["aws:userid"] = `${session.roleId}:${session.sessionName}`;
    context["aws:TokenIssueTime"] = new Date(session.issuedAt).toISOString();
    if (session.sourceIdentity !== undefined) {
      context["aws:SourceIdentity"] = session.sourceIdentity;
    }
  }
  for (const [key, value] of Object.entries(principalTagsOf(state, caller))) {
    context[`aws:PrincipalTag/${key}`] = value;
  }
  return context;
}

export interface IsAllowedOptions {
  /** Sandbox clock, epoch ms. */
  now: number;
  /** The resource's own policy, when it has one (a role's trust policy for STS actions). */
  resourcePolicy?: string;
  /** Defaults to the caller's account. */
  resourceAccount?: string;
  /** Request-specific keys (e.g. `aws:RequestTag/*`), added to the caller's global keys. */
  context?: RequestContext;
}

/**
 * Whether `caller` may perform `action` on `resourceArn`, with the caller's identity policies
 * (and session policy), the resource policy if given, and the context keys AWS would fill.
 * For the IAM actions of role sessions as much as for STS.
 *
 * @example
 * const decision = await isAllowed(state, caller, "iam:CreateRole", roleArn, { now });
 * if (!decision.allowed) throw new AccessDenied(notAuthorizedMessage(caller.arn, ...));
 */
export async function isAllowed(
  state: StsStateReader,
  caller: Caller,
  action: string,
  resourceArn: string,
  options: IsAllowedOptions,
): Promise<Decision> {
  return evaluatePolicies({
    principalArn: caller.arn,
    action,
    resourceArn,
    resourceAccount: options.resourceAccount ?? caller.accountId,
    identityPolicies: identityPoliciesOf(state, caller),
    sessionPolicy: caller.kind === "assumed-role" ? caller.session.sessionPolicy : undefined,
    resourcePolicy: options.resourcePolicy,
    context: { ...principalContext(state, caller, options.now), ...options.context },
  });
}

/** AWS's text for a denial: "User: <arn> is not authorized to perform: <action> on resource:
 * <arn>". Also used for a role that does not exist, as AWS does. */
export function notAuthorizedMessage(callerArn: string, action: string, resourceArn: string) {
  return `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resourceArn}`;
}
