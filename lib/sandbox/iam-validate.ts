/**
 * IAM's input rules, with AWS's codes and texts. Constraint failures are collected per request
 * and reported together, as AWS does ("2 validation errors detected: ...; ...").
 */
import { type PolicyKind, policySyntaxError } from "./authorize";
import { InvalidInput, MalformedPolicyDocument, ValidationError } from "./errors";
import type { QueryParams, Tag } from "./query";

export const NAME_PATTERN = "[\\w+=,.@-]+";
const NAME_RE = /^[\w+=,.@-]+$/;
export const PATH_PATTERN = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;
const PATH_PREFIX_PATTERN = "\\u002F[\\u0021-\\u007F]*";
const PATH_PREFIX_RE = /^\/[\u0021-\u007F]*$/;
const POLICY_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
const POLICY_RE = /^[\t\n\r\u0020-\u00FF]+$/;
const DESCRIPTION_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*";
const DESCRIPTION_RE = /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/;
const TAG_PATTERN = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";
const TAG_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const LIMITS = {
  roleName: 64,
  path: 512,
  policyName: 128,
  trustPolicyQuota: 2048,
  rolePoliciesQuota: 10240,
  tagsPerRole: 50,
  description: 1000,
  minSessionDuration: 3600,
  maxSessionDuration: 43200,
  maxItems: 1000,
  defaultMaxItems: 100,
} as const;

/** Collects constraint failures of one request. */
export class Constraints {
  private readonly failures: string[] = [];

  private fail(value: string | null, field: string, rule: string): void {
    const shown = value === null ? "null" : `'${value}'`;
    this.failures.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${rule}`);
  }

  /** A required field; returns "" when absent (the failure is recorded). */
  required(params: QueryParams, name: string, field: string): string {
    const value = params[name];
    if (value === undefined) {
      this.fail(null, field, "Member must not be null");
      return "";
    }
    return value;
  }

  length(value: string, field: string, min: number, max: number): boolean {
    // AWS measures lengths in Unicode code points.
    const length = [...value].length;
    if (length < min)
      this.fail(value, field, `Member must have length greater than or equal to ${min}`);
    else if (length > max)
      this.fail(value, field, `Member must have length less than or equal to ${max}`);
    else return true;
    return false;
  }

  pattern(value: string, field: string, re: RegExp, shown: string): void {
    if (!re.test(value))
      this.fail(value, field, `Member must satisfy regular expression pattern: ${shown}`);
  }

  name(value: string, field: string, max: number): void {
    if (this.length(value, field, 1, max)) this.pattern(value, field, NAME_RE, NAME_PATTERN);
  }

  path(value: string, field: string): void {
    if (this.length(value, field, 1, LIMITS.path))
      this.pattern(value, field, PATH_RE, PATH_PATTERN);
  }

  pathPrefix(value: string, field: string): void {
    if (this.length(value, field, 1, LIMITS.path)) {
      this.pattern(value, field, PATH_PREFIX_RE, PATH_PREFIX_PATTERN);
    }
  }

  policyText(value: string, field: string): void {
    if (this.length(value, field, 1, 131072)) this.pattern(value, field, POLICY_RE, POLICY_PATTERN);
  }

  description(value: string, field: string): void {
    if (this.length(value, field, 0, LIMITS.description)) {
      this.pattern(value, field, DESCRIPTION_RE, DESCRIPTION_PATTERN);
    }
  }

  /** An optional integer in [min, max]; undefined when absent or invalid. */
  integer(text: string | undefined, field: string, min: number, max: number): number | undefined {
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) {
      this.fail(text, field, "Member must be an integer");
      return undefined;
    }
    const value = Number(text);
    if (value < min)
      this.fail(text, field, `Member must have value greater than or equal to ${min}`);
    else if (value > max)
      this.fail(text, field, `Member must have value less than or equal to ${max}`);
    else return value;
    return undefined;
  }

  tags(tags: Tag[], field: string): void {
    if (tags.length > LIMITS.tagsPerRole) {
      this.fail(
        `[${tags.length} tags]`,
        field,
        `Member must have length less than or equal to ${LIMITS.tagsPerRole}`,
      );
    }
    tags.forEach((tag, i) => {
      const at = `${field}.${i + 1}.member`;
      if (this.length(tag.Key, `${at}.key`, 1, 128))
        this.pattern(tag.Key, `${at}.key`, TAG_RE, TAG_PATTERN);
      if (this.length(tag.Value, `${at}.value`, 0, 256)) {
        this.pattern(tag.Value, `${at}.value`, TAG_RE, TAG_PATTERN);
      }
    });
  }

  tagKeys(keys: string[], field: string): void {
    if (keys.length > LIMITS.tagsPerRole) {
      this.fail(
        `[${keys.length} keys]`,
        field,
        `Member must have length less than or equal to ${LIMITS.tagsPerRole}`,
      );
    }
    keys.forEach((key, i) => {
      const at = `${field}.${i + 1}.member`;
      if (this.length(key, at, 1, 128)) this.pattern(key, at, TAG_RE, TAG_PATTERN);
    });
  }

  /** Throws one `ValidationError` listing every failure, if there were any. */
  check(): void {
    const n = this.failures.length;
    if (n === 0) return;
    throw new ValidationError(
      `${n} validation error${n === 1 ? "" : "s"} detected: ${this.failures.join("; ")}`,
    );
  }
}

/** IAM treats tag keys case-insensitively: two keys differing only in case are duplicates. */
export function checkDuplicateTagKeys(keys: string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    const folded = key.toLowerCase();
    if (seen.has(folded)) {
      throw new InvalidInput(
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
      );
    }
    seen.add(folded);
  }
}

/**
 * The full grammar check of a policy about to be stored or used: the shape rules below, then
 * the evaluator's own validation (types of Action, Resource, Principal, condition values,
 * unknown keys), so nothing is stored that evaluation would later refuse.
 */
export async function checkPolicyGrammar(document: string, kind: PolicyKind): Promise<void> {
  checkPolicyDocument(document, kind === "trust" ? "trust" : "identity");
  const error = await policySyntaxError(document, kind);
  if (error !== undefined) {
    // The detail stays in the cause (for the server log); the caller sees AWS's text.
    throw Object.assign(new MalformedPolicyDocument("Syntax errors in policy."), {
      cause: new Error(error),
    });
  }
}

/** IAM counts a policy's size against quotas without white space. */
export function policySize(document: string): number {
  return document.replace(/\s/g, "").length;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * Checks that a policy is JSON with a `Statement` of statements, each with an `Effect` of
 * Allow/Deny and an `Action`/`NotAction`; trust policies need a `Principal`, identity
 * policies a `Resource` and no `Principal`. Deeper grammar is the evaluator's business.
 */
export function checkPolicyDocument(document: string, kind: "trust" | "identity"): void {
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch (cause) {
    throw Object.assign(new MalformedPolicyDocument("This policy contains invalid Json"), {
      cause,
    });
  }
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new MalformedPolicyDocument("Syntax errors in policy.");
  }
  const statements = (policy as { Statement?: unknown }).Statement;
  if (statements === undefined || statements === null) {
    throw new MalformedPolicyDocument("Syntax errors in policy.");
  }
  for (const statement of asArray(statements)) {
    if (typeof statement !== "object" || statement === null) {
      throw new MalformedPolicyDocument("Syntax errors in policy.");
    }
    const s = statement as Record<string, unknown>;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") {
      throw new MalformedPolicyDocument("Syntax errors in policy.");
    }
    if (s.Action === undefined && s.NotAction === undefined) {
      throw new MalformedPolicyDocument("Policy statement must contain actions.");
    }
    if (kind === "trust" && s.Principal === undefined && s.NotPrincipal === undefined) {
      throw new MalformedPolicyDocument("Missing required field Principal");
    }
    if (kind === "trust" && (s.Resource !== undefined || s.NotResource !== undefined)) {
      throw new MalformedPolicyDocument("Has prohibited field Resource");
    }
    if (kind === "identity") {
      if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
        throw new MalformedPolicyDocument("Policy document should not specify a principal.");
      }
      if (s.Resource === undefined && s.NotResource === undefined) {
        throw new MalformedPolicyDocument("Policy statement must contain resources.");
      }
    }
  }
}
