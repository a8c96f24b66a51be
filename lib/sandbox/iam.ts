/**
 * The IAM actions the sandbox answers, by Query `Action` name, plus the two account-level ones
 * (GetAccountSummary, GetUser).
 */
import { NoSuchEntity, ValidationError } from "./errors";
import { type IamHandler, iamDate } from "./iam-context";
import {
  deleteRolePolicy,
  getRolePolicy,
  listRolePolicies,
  listRoleTags,
  putRolePolicy,
  tagRole,
  untagRole,
} from "./iam-role-policies";
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy } from "./iam-roles";
import { Constraints, LIMITS } from "./iam-validate";

export type { IamContext, IamHandler } from "./iam-context";

export const getAccountSummary: IamHandler = async (ctx) => {
  await ctx.authorize("GetAccountSummary", "*");
  const counts = ctx.state.summary();
  // The entries AWS reports; the sandbox has no groups, managed policies, MFA or providers.
  const summary = new Map<string, number>([
    ["Users", counts.users],
    ["UsersQuota", 5000],
    ["Groups", 0],
    ["GroupsQuota", 300],
    ["Roles", counts.roles],
    ["RolesQuota", ctx.roleQuota],
    ["Policies", 0],
    ["PoliciesQuota", 1500],
    ["PolicySizeQuota", 6144],
    ["PolicyVersionsInUse", 0],
    ["PolicyVersionsInUseQuota", 10000],
    ["VersionsPerPolicyQuota", 5],
    ["AttachedPoliciesPerRoleQuota", 10],
    ["AttachedPoliciesPerUserQuota", 10],
    ["AttachedPoliciesPerGroupQuota", 10],
    ["UserPolicySizeQuota", 2048],
    ["RolePolicySizeQuota", LIMITS.rolePoliciesQuota],
    ["GroupPolicySizeQuota", 5120],
    ["GroupsPerUserQuota", 10],
    ["SigningCertificatesPerUserQuota", 2],
    ["AccessKeysPerUserQuota", 2],
    ["MFADevices", 0],
    ["MFADevicesInUse", 0],
    ["AccountMFAEnabled", 0],
    ["AccountAccessKeysPresent", 0],
    ["AccountSigningCertificatesPresent", 0],
    ["InstanceProfiles", 0],
    ["InstanceProfilesQuota", 1000],
    ["ServerCertificates", 0],
    ["ServerCertificatesQuota", 20],
    ["Providers", 0],
    ["GlobalEndpointTokenVersion", 1],
  ]);
  return { SummaryMap: summary };
};

export const getUser: IamHandler = async (ctx, params) => {
  const c = new Constraints();
  if (params.UserName !== undefined) c.name(params.UserName, "userName", 64);
  c.check();
  const caller = ctx.caller;
  if (params.UserName === undefined && caller.kind !== "user") {
    // AWS's answer when a role session calls GetUser without a name.
    throw new ValidationError("Must specify userName when calling with non-User credentials");
  }
  const userName = params.UserName ?? (caller.kind === "user" ? caller.userName : "");
  const user = ctx.state.getUserByName(userName);
  await ctx.authorize(
    "GetUser",
    user?.arn ?? `arn:aws:iam::${ctx.state.accountId}:user/${userName}`,
  );
  if (!user) throw new NoSuchEntity(`The user with name ${userName} cannot be found.`);
  return {
    User: {
      Path: user.path,
      UserName: user.userName,
      UserId: user.userId,
      Arn: user.arn,
      CreateDate: iamDate(user.createDate),
    },
  };
};

export const IAM_ACTIONS: Readonly<Record<string, IamHandler>> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  DeleteRole: deleteRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  PutRolePolicy: putRolePolicy,
  GetRolePolicy: getRolePolicy,
  ListRolePolicies: listRolePolicies,
  DeleteRolePolicy: deleteRolePolicy,
  TagRole: tagRole,
  UntagRole: untagRole,
  ListRoleTags: listRoleTags,
  GetAccountSummary: getAccountSummary,
  GetUser: getUser,
};
