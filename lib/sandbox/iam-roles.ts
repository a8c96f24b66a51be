/** IAM role actions: CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy. */
import type { RoleRecord } from "./contracts";
import { DeleteConflict, LimitExceeded, ValidationError } from "./errors";
import { type IamContext, type IamHandler, requireRole, roleArn, toRoleXml } from "./iam-context";
import {
  Constraints,
  checkDuplicateTagKeys,
  checkPolicyGrammar,
  LIMITS,
  policySize,
} from "./iam-validate";
import { newRoleId } from "./ids";
import { readTagList } from "./query";

/** Checks a trust policy's text, grammar and the 2048-character quota. */
export async function checkTrustPolicy(document: string): Promise<void> {
  await checkPolicyGrammar(document, "trust");
  if (policySize(document) > LIMITS.trustPolicyQuota) {
    throw new LimitExceeded(`Cannot exceed quota for ACLSizePerRole: ${LIMITS.trustPolicyQuota}`);
  }
}

export const createRole: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  const trust = c.required(params, "AssumeRolePolicyDocument", "assumeRolePolicyDocument");
  const path = params.Path ?? "/";
  const description = params.Description;
  const tags = readTagList(params, "Tags.member", "tags");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  if (params.AssumeRolePolicyDocument !== undefined) {
    c.policyText(trust, "assumeRolePolicyDocument");
  }
  c.path(path, "path");
  if (description !== undefined) c.description(description, "description");
  const maxSessionDuration = c.integer(
    params.MaxSessionDuration,
    "maxSessionDuration",
    LIMITS.minSessionDuration,
    LIMITS.maxSessionDuration,
  );
  c.tags(tags, "tags");
  c.check();
  checkDuplicateTagKeys(tags.map((tag) => tag.Key));
  await ctx.authorize("CreateRole", roleArn(ctx, path, roleName));
  await checkTrustPolicy(trust);
  const role: RoleRecord = {
    accountId: ctx.state.accountId,
    roleName,
    roleId: newRoleId(),
    path,
    arn: roleArn(ctx, path, roleName),
    assumeRolePolicyDocument: trust,
    ...(description === undefined ? {} : { description }),
    maxSessionDuration: maxSessionDuration ?? LIMITS.minSessionDuration,
    createDate: ctx.now,
    tags,
  };
  // Checks the name and the quota and inserts in one transaction (see SandboxState.insertRole).
  ctx.state.insertRole(role, ctx.roleQuota);
  return { Role: toRoleXml(role, true) };
};

export const getRole: IamHandler = async (ctx, params) => {
  const roleName = requiredRoleName(params);
  const role = await requireRoleAuthorized(ctx, "GetRole", roleName);
  return { Role: toRoleXml(role, true) };
};

const encodeMarker = (roleName: string) => Buffer.from(roleName, "utf8").toString("base64url");

function decodeMarker(marker: string): string {
  const name = Buffer.from(marker, "base64url").toString("utf8");
  if (name.length === 0 || encodeMarker(name) !== marker) {
    throw new ValidationError("Invalid Marker.");
  }
  return name;
}

export const listRoles: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const pathPrefix = params.PathPrefix ?? "/";
  c.pathPrefix(pathPrefix, "pathPrefix");
  const maxItems = c.integer(params.MaxItems, "maxItems", 1, LIMITS.maxItems);
  if (params.Marker !== undefined) c.length(params.Marker, "marker", 1, 320);
  c.check();
  const after = params.Marker === undefined ? undefined : decodeMarker(params.Marker);
  // ListRoles names no resource type: IAM authorizes it on "*".
  await ctx.authorize("ListRoles", "*");
  const limit = maxItems ?? LIMITS.defaultMaxItems;
  const rows = ctx.state.listRoles({ pathPrefix, ...(after ? { after } : {}), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const isTruncated = rows.length > limit && last !== undefined;
  return {
    Roles: page.map((role) => toRoleXml(role, false)),
    IsTruncated: isTruncated,
    Marker: isTruncated ? encodeMarker(last.roleName) : undefined,
  };
};

export const deleteRole: IamHandler = async (ctx, params) => {
  const roleName = requiredRoleName(params);
  const role = await requireRoleAuthorized(ctx, "DeleteRole", roleName);
  if (ctx.state.listRolePolicies(role.roleId).length > 0) {
    throw new DeleteConflict("Cannot delete entity, must delete policies first.");
  }
  ctx.state.deleteRole(role.roleId);
  return undefined;
};

export const updateAssumeRolePolicy: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  const document = c.required(params, "PolicyDocument", "policyDocument");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  if (params.PolicyDocument !== undefined) c.policyText(document, "policyDocument");
  c.check();
  const role = await requireRoleAuthorized(ctx, "UpdateAssumeRolePolicy", roleName);
  await checkTrustPolicy(document);
  ctx.state.updateAssumeRolePolicy(role.roleId, document);
  return undefined;
};

/** Validates the usual lone `RoleName` parameter. */
export function requiredRoleName(params: Record<string, string>): string {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  c.check();
  return roleName;
}

/**
 * Authorizes against the role's ARN when the role exists (its path is part of the ARN), and
 * against the path-less ARN otherwise, so a caller without permission learns nothing about
 * which roles exist.
 */
export async function requireRoleAuthorized(
  ctx: IamContext,
  action: string,
  roleName: string,
): Promise<RoleRecord> {
  const role = ctx.state.getRoleByName(roleName);
  await ctx.authorize(action, role?.arn ?? roleArn(ctx, "/", roleName));
  return role ?? requireRole(ctx, roleName);
}
