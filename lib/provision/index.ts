import "server-only";

export type { FieldError } from "./field-error";
export { listManagedRoles, type ManagedRole } from "./list-managed-roles";
export {
  DEFAULT_PATH,
  DEFAULT_PREFIX,
  MAX_ROLES,
  PROVISION_LABELS,
  type ProvisionOptions,
  type RoleSetOptions,
  validateProvisionOptions,
  validateRoleSetOptions,
} from "./provision-options";
export { provisionRoles } from "./provision-roles";
export { type StartResult, startProvision, startTeardown } from "./start-provision";
export { teardownRoles } from "./teardown-roles";
