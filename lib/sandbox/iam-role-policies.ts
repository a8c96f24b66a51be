/**
 * A role's inline policies and tags: PutRolePolicy, GetRolePolicy, ListRolePolicies,
 * DeleteRolePolicy, TagRole, UntagRole, ListRoleTags.
 */
import { LimitExceeded, NoSuchEntity } from "./errors";
import type { IamHandler } from "./iam-context";
import { requireRoleAuthorized } from "./iam-roles";
import {
  Constraints,
  checkDuplicateTagKeys,
  checkPolicyGrammar,
  LIMITS,
  policySize,
} from "./iam-validate";
import { readMemberList, readTagList } from "./query";

function readRoleAndPolicyName(params: Record<string, string>, c: Constraints) {
  const roleName = c.required(params, "RoleName", "roleName");
  const policyName = c.required(params, "PolicyName", "policyName");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  if (params.PolicyName !== undefined) c.name(policyName, "policyName", LIMITS.policyName);
  return { roleName, policyName };
}

export const putRolePolicy: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const { roleName, policyName } = readRoleAndPolicyName(params, c);
  const document = c.required(params, "PolicyDocument", "policyDocument");
  if (params.PolicyDocument !== undefined) c.policyText(document, "policyDocument");
  c.check();
  const role = await requireRoleAuthorized(ctx, "PutRolePolicy", roleName);
  await checkPolicyGrammar(document, "identity");
  const others = ctx.state
    .listRolePolicies(role.roleId)
    .filter((policy) => policy.policyName !== policyName)
    .reduce((sum, policy) => sum + policySize(policy.document), 0);
  if (others + policySize(document) > LIMITS.rolePoliciesQuota) {
    throw new LimitExceeded(
      `Maximum policy size of ${LIMITS.rolePoliciesQuota} bytes exceeded for role ${role.roleName}`,
    );
  }
  ctx.state.putRolePolicy(role.roleId, policyName, document);
  return undefined;
};

export const getRolePolicy: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const { roleName, policyName } = readRoleAndPolicyName(params, c);
  c.check();
  const role = await requireRoleAuthorized(ctx, "GetRolePolicy", roleName);
  const document = ctx.state.getRolePolicy(role.roleId, policyName);
  if (document === undefined) {
    throw new NoSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  }
  return {
    RoleName: role.roleName,
    PolicyName: policyName,
    PolicyDocument: encodeURIComponent(document),
  };
};

export const listRolePolicies: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  const maxItems = c.integer(params.MaxItems, "maxItems", 1, LIMITS.maxItems);
  c.check();
  const role = await requireRoleAuthorized(ctx, "ListRolePolicies", roleName);
  const names = ctx.state.listRolePolicies(role.roleId).map((policy) => policy.policyName);
  const start = params.Marker === undefined ? 0 : names.findIndex((n) => n > `${params.Marker}`);
  const from = start === -1 ? names.length : start;
  const limit = maxItems ?? LIMITS.defaultMaxItems;
  const page = names.slice(from, from + limit);
  const isTruncated = from + limit < names.length;
  return {
    PolicyNames: page,
    IsTruncated: isTruncated,
    // The marker is the last name returned; policy names sort as plain strings.
    Marker: isTruncated ? page.at(-1) : undefined,
  };
};

export const deleteRolePolicy: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const { roleName, policyName } = readRoleAndPolicyName(params, c);
  c.check();
  const role = await requireRoleAuthorized(ctx, "DeleteRolePolicy", roleName);
  if (!ctx.state.deleteRolePolicy(role.roleId, policyName)) {
    throw new NoSuchEntity(`The role policy with name ${policyName} cannot be found.`);
  }
  return undefined;
};

export const tagRole: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  const tags = readTagList(params, "Tags.member", "tags");
  if (params["Tags.member.1.Key"] === undefined) c.required(params, "Tags", "tags");
  c.tags(tags, "tags");
  c.check();
  checkDuplicateTagKeys(tags.map((tag) => tag.Key));
  const role = await requireRoleAuthorized(ctx, "TagRole", roleName);
  // A key given again replaces the value; keys compare ignoring case, as IAM's do.
  const incoming = new Set(tags.map((tag) => tag.Key.toLowerCase()));
  const merged = [...role.tags.filter((tag) => !incoming.has(tag.Key.toLowerCase())), ...tags];
  if (merged.length > LIMITS.tagsPerRole) {
    throw new LimitExceeded(`Cannot exceed quota for TagsPerRole: ${LIMITS.tagsPerRole}`);
  }
  ctx.state.setRoleTags(role.roleId, merged);
  return undefined;
};

export const untagRole: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  const keys = readMemberList(params, "TagKeys.member");
  if (keys.length === 0) c.required(params, "TagKeys", "tagKeys");
  c.tagKeys(keys, "tagKeys");
  c.check();
  const role = await requireRoleAuthorized(ctx, "UntagRole", roleName);
  const removed = new Set(keys.map((key) => key.toLowerCase()));
  ctx.state.setRoleTags(
    role.roleId,
    role.tags.filter((tag) => !removed.has(tag.Key.toLowerCase())),
  );
  return undefined;
};

export const listRoleTags: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  const roleName = c.required(params, "RoleName", "roleName");
  if (params.RoleName !== undefined) c.name(roleName, "roleName", LIMITS.roleName);
  const maxItems = c.integer(params.MaxItems, "maxItems", 1, LIMITS.maxItems);
  c.check();
  const role = await requireRoleAuthorized(ctx, "ListRoleTags", roleName);
  // The marker is the position of the next tag: tags keep the order they were added in.
  const from = /^\d+$/.test(params.Marker ?? "") ? Number(params.Marker) : 0;
  const limit = maxItems ?? LIMITS.defaultMaxItems;
  const isTruncated = from + limit < role.tags.length;
  return {
    Tags: role.tags.slice(from, from + limit),
    IsTruncated: isTruncated,
    Marker: isTruncated ? String(from + limit) : undefined,
  };
};
