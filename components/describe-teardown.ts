export interface RoleSet {
  path: string;
  prefix: string;
}

const DEFAULT_ROLE_SET: RoleSet = { path: "/rolechain/", prefix: "rolechain-" };

/** The question before a tear down: what it deletes, with the count when the page knows it. */
export function describeTeardown(set: RoleSet, managedRoles: number | null): string {
  const isDefault = set.path === DEFAULT_ROLE_SET.path && set.prefix === DEFAULT_ROLE_SET.prefix;
  const what =
    isDefault && managedRoles !== null
      ? `${managedRoles} managed ${managedRoles === 1 ? "role" : "roles"}`
      : "every managed role";
  return `Delete ${what} under ${set.path || "(no path)"} with prefix "${set.prefix}"?`;
}
