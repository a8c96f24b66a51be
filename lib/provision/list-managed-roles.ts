import "server-only";
import {
  type IAMClient,
  ListRolesCommand,
  ListRoleTagsCommand,
  type Role,
} from "@aws-sdk/client-iam";
import { createIamClient, type Target } from "@/lib/aws";
import { withRetries } from "@/lib/aws/retry";
import { mapWithConcurrency } from "./map-with-concurrency";
import type { RoleSetOptions } from "./provision-options";
import { isManaged } from "./role-policies";

export interface ManagedRole {
  roleName: string;
  roleArn: string;
  path: string;
  /** The number after the prefix, from 1. */
  index: number;
  /** When IAM created it: the chain engine treats AccessDenied on a young role as propagation. */
  createDate: Date | undefined;
  maxSessionDuration: number | undefined;
}

const TAG_LOOKUP_CONCURRENCY = 8;

/**
 * The roles rolechain manages under `path` named `<prefix><index>`, sorted by index.
 * A same-named role without the managed tag is not ours and is left out.
 */
export async function listManagedRoles(
  target: Target,
  options: RoleSetOptions,
  iam: IAMClient = createIamClient(target),
): Promise<ManagedRole[]> {
  const candidates: Array<{ role: Role; index: number }> = [];
  for (const role of await listAllRoles(iam, options.path)) {
    const index = indexOf(role, options);
    if (index !== undefined) candidates.push({ role, index });
  }
  const managed: ManagedRole[] = [];
  await mapWithConcurrency(candidates, TAG_LOOKUP_CONCURRENCY, async ({ role, index }) => {
    if (!(await isManagedRole(iam, role))) return;
    managed.push({
      roleName: role.RoleName ?? "",
      roleArn: role.Arn ?? "",
      path: role.Path ?? "/",
      index,
      createDate: role.CreateDate,
      maxSessionDuration: role.MaxSessionDuration,
    });
  });
  return managed.sort((a, b) => a.index - b.index);
}

/** Every role under `pathPrefix` (all roles for "/"), following IsTruncated/Marker. */
export async function listAllRoles(iam: IAMClient, pathPrefix = "/"): Promise<Role[]> {
  const roles: Role[] = [];
  let marker: string | undefined;
  do {
    const page = await withRetries(() =>
      iam.send(new ListRolesCommand({ PathPrefix: pathPrefix, Marker: marker, MaxItems: 1000 })),
    );
    roles.push(...(page.Roles ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return roles;
}

/** Tags from the listing when the service includes them, else one ListRoleTags call. */
export async function isManagedRole(iam: IAMClient, role: Role): Promise<boolean> {
  if (role.Tags) return isManaged(role.Tags);
  const tags = [];
  let marker: string | undefined;
  do {
    const page = await withRetries(() =>
      iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName, Marker: marker })),
    );
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return isManaged(tags);
}

function indexOf(role: Role, options: RoleSetOptions): number | undefined {
  // PathPrefix also matches deeper paths; ours live exactly at `path`.
  if (role.Path !== options.path || !role.RoleName?.startsWith(options.prefix)) return undefined;
  const digits = role.RoleName.slice(options.prefix.length);
  if (!/^[1-9]\d*$/.test(digits)) return undefined;
  return Number(digits);
}
