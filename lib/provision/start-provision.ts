import "server-only";
import { getTarget } from "@/lib/aws";
import { getRunRegistry } from "@/lib/runs/registry";
import type { RunSummary } from "@/lib/runs/types";
import type { Validated } from "./field-error";
import { validateProvisionOptions, validateRoleSetOptions } from "./provision-options";
import { provisionRoles } from "./provision-roles";
import { teardownRoles } from "./teardown-roles";

/** The run that started, or the form field that was refused and why. */
export type StartResult = Validated<RunSummary>;

/**
 * Validates the provisioning form and starts a `provision` run in the background.
 *
 * @example await startProvision({ count: 101, path: "/rolechain/", prefix: "rolechain-" })
 */
export async function startProvision(input: unknown): Promise<StartResult> {
  const options = validateProvisionOptions(input);
  if (!options.ok) return options;

  const target = await getTarget();
  const run = getRunRegistry().start(
    { kind: "provision", target: target.kind, params: { ...options.value } },
    (sink) => provisionRoles(target, options.value, sink),
  );
  return { ok: true, value: run };
}

/** Validates path and prefix and starts a `teardown` run of the managed roles there. */
export async function startTeardown(input: unknown): Promise<StartResult> {
  const options = validateRoleSetOptions(input);
  if (!options.ok) return options;

  const target = await getTarget();
  const run = getRunRegistry().start(
    { kind: "teardown", target: target.kind, params: { ...options.value } },
    (sink) => teardownRoles(target, options.value, sink),
  );
  return { ok: true, value: run };
}
