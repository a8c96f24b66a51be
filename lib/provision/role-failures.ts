import "server-only";
import type { RunError } from "@/lib/runs/types";

export interface RoleFailure {
  roleName: string;
  code: string;
  message: string;
}

const NAMES_SHOWN = 5;

/** One RunError for a provision or teardown where some roles failed: the first cause leads. */
export function summarizeFailures(
  failures: readonly RoleFailure[],
  what: "provision" | "teardown",
): RunError {
  const first = failures[0] as RoleFailure;
  const names = failures.slice(0, NAMES_SHOWN).map((failure) => failure.roleName);
  const more = failures.length > NAMES_SHOWN ? ` and ${failures.length - NAMES_SHOWN} more` : "";
  return {
    code: first.code,
    message:
      `Could not ${what} ${failures.length} role(s): ${names.join(", ")}${more}. ` +
      `First: ${first.message}`,
    ...(first.code === "RoleNotManaged"
      ? { hint: "Rename or remove the existing roles, or choose another Role name prefix." }
      : {}),
  };
}
