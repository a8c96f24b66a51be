import "server-only";
import { z } from "zod";
import { integerField, quoteInput, type Validated, validate } from "./field-error";

export const MAX_ROLES = 1_000;
export const DEFAULT_PATH = "/rolechain/";
export const DEFAULT_PREFIX = "rolechain-";
const ROLE_NAME_MAX = 64;
const PATH_MAX = 512;

/** Which managed roles: `<path><prefix><index>`, index from 1. */
export interface RoleSetOptions {
  path: string;
  prefix: string;
}

export interface ProvisionOptions extends RoleSetOptions {
  /** 1..1000 roles. */
  count: number;
  /** MaxSessionDuration of the roles, 3600..43200 (default 3600). */
  maxSessionDuration: number;
}

/** Labels of the provisioning form; validation errors name these. */
export const PROVISION_LABELS = {
  count: "Number of roles",
  path: "Role path",
  prefix: "Role name prefix",
  maxSessionDuration: "Maximum session duration",
} as const;

// IAM: "/" alone, or "/" + printable ASCII without spaces + "/", at most 512 characters.
const PATH_PATTERN = /^\/([\u0021-\u007e]*\/)?$/;
const PREFIX_PATTERN = /^[\w+=,.@-]+$/;

export const rolePathField = z
  .string({ error: `${PROVISION_LABELS.path} is required.` })
  .trim()
  .default(DEFAULT_PATH)
  .refine((path) => path.length <= PATH_MAX && PATH_PATTERN.test(path), {
    message:
      `${PROVISION_LABELS.path} must be "/" or start and end with "/" using printable ASCII ` +
      `without spaces, at most ${PATH_MAX} characters (e.g. /rolechain/).`,
  });

export const rolePrefixField = z
  .string({ error: `${PROVISION_LABELS.prefix} is required.` })
  .trim()
  .default(DEFAULT_PREFIX)
  .refine((prefix) => prefix.length > 0 && PREFIX_PATTERN.test(prefix), {
    message:
      `${PROVISION_LABELS.prefix} may use only letters, digits and + = , . @ _ - ` +
      "(e.g. rolechain-).",
  });

const roleSetShape = { path: rolePathField, prefix: rolePrefixField };

/** The longest name is prefix + the largest index; IAM allows 64 characters. */
function nameFits(prefix: string, count: number): boolean {
  return prefix.length + String(count).length <= ROLE_NAME_MAX;
}

const provisionSchema = z
  .object({
    count: integerField(PROVISION_LABELS.count, 1, MAX_ROLES).default(101),
    ...roleSetShape,
    maxSessionDuration: integerField(PROVISION_LABELS.maxSessionDuration, 3600, 43_200).default(
      3600,
    ),
  })
  .superRefine((value, ctx) => {
    if (!nameFits(value.prefix, value.count)) {
      ctx.addIssue({
        code: "custom",
        path: ["prefix"],
        message:
          `${PROVISION_LABELS.prefix} is too long: ${quoteInput(`${value.prefix}${value.count}`)} would ` +
          `exceed IAM's ${ROLE_NAME_MAX}-character role name limit.`,
      });
    }
  });

const roleSetSchema = z.object(roleSetShape);

export function validateProvisionOptions(input: unknown): Validated<ProvisionOptions> {
  return validate(provisionSchema, input, PROVISION_LABELS);
}

export function validateRoleSetOptions(input: unknown): Validated<RoleSetOptions> {
  return validate(roleSetSchema, input, PROVISION_LABELS);
}

export function roleName(options: RoleSetOptions, index: number): string {
  return `${options.prefix}${index}`;
}
