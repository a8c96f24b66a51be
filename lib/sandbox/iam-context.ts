/** What every IAM action handler receives, and the shapes IAM returns. */
import type { Caller, RoleRecord } from "./contracts";
import { NoSuchEntity } from "./errors";
import type { QueryParams } from "./query";
import type { SandboxState } from "./state";

export interface IamContext {
  state: SandboxState;
  caller: Caller;
  /** The sandbox clock (epoch ms), knobs applied. */
  now: number;
  roleQuota: number;
  /**
   * Throws `AccessDenied` unless the caller's identity policies allow `iam:<action>` on
   * `resource`.
   */
  authorize(action: string, resource: string): Promise<void>;
}

/** Returns the `<{Action}Result>` content, or undefined for actions that have none. */
export type IamHandler = (ctx: IamContext, params: QueryParams) => Promise<unknown>;

export function roleArn(ctx: IamContext, path: string, roleName: string): string {
  return `arn:aws:iam::${ctx.state.accountId}:role${path}${roleName}`;
}

export function requireRole(ctx: IamContext, roleName: string): RoleRecord {
  const role = ctx.state.getRoleByName(roleName);
  if (!role) throw new NoSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

/** Seconds precision, as IAM reports its dates. */
export function iamDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A role as IAM's XML has it. Policy documents go back URL-encoded, as AWS sends them;
 * ListRoles leaves out tags and last use, GetRole and CreateRole include them.
 */
export function toRoleXml(role: RoleRecord, detail: boolean): Record<string, unknown> {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: iamDate(role.createDate),
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: detail && role.tags.length > 0 ? role.tags : undefined,
    RoleLastUsed: detail ? {} : undefined,
  };
}
