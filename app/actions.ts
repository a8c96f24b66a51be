"use server";

import { getTarget } from "@/lib/aws";
import { startChain as startChainRun } from "@/lib/chain";
import { buildProfileGraph, generateProfileSnippet } from "@/lib/profiles";
import type { ProfileGraph } from "@/lib/profiles/types";
import { listManagedRoles, startProvision, startTeardown } from "@/lib/provision";
import { getRunRegistry } from "@/lib/runs/registry";
import type { RunSummary } from "@/lib/runs/types";

/**
 * Server actions: the only way the page changes anything. Each one reads its form, guards,
 * calls one lib function and maps the answer; work runs in the server, never in the request.
 * Pasted credentials reach `startChain` and `inspectProfiles` here and go no further than the
 * lib call: they are not returned, stored or logged.
 */

export interface FieldError {
  field: string;
  message: string;
}

export type ActionResult = { runId: string } | { error: FieldError };

export async function provisionRoles(form: FormData): Promise<ActionResult> {
  return toActionResult(
    await startProvision({
      count: text(form, "count"),
      path: text(form, "path"),
      prefix: text(form, "prefix"),
      maxSessionDuration: text(form, "maxSessionDuration") || undefined,
    }),
  );
}

export async function teardownRoles(form: FormData): Promise<ActionResult> {
  return toActionResult(
    await startTeardown({ path: text(form, "path"), prefix: text(form, "prefix") }),
  );
}

export async function startChain(form: FormData): Promise<ActionResult> {
  const mode = text(form, "mode");
  const profiles = mode === "profiles";
  return toActionResult(
    await startChainRun({
      mode,
      hops: text(form, "hops"),
      sessionNameTemplate: text(form, "sessionNameTemplate"),
      durationSeconds: text(form, "durationSeconds"),
      intervalMs: text(form, "intervalMs"),
      verify: form.get("verify") === "on",
      sessionTags: text(form, "sessionTags"),
      transitiveTagKeys: text(form, "transitiveTagKeys"),
      sourceIdentity: text(form, "sourceIdentity"),
      retryChainedDurationAt3600: form.get("retryChainedDurationAt3600") === "on",
      ...(profiles
        ? {
            profile: text(form, "profile"),
            config: text(form, "config"),
            credentials: text(form, "credentials"),
          }
        : {}),
    }),
  );
}

export async function stopRun(runId: string): Promise<{ stopped: boolean }> {
  if (typeof runId !== "string" || runId.length === 0 || runId.length > 100) {
    return { stopped: false };
  }

  return { stopped: getRunRegistry().stop(runId) };
}

/** The profile graph of pasted files: names, roles, sources and problems; never a secret. */
export async function inspectProfiles(form: FormData): Promise<ProfileGraph> {
  return buildProfileGraph({
    config: text(form, "config"),
    credentials: text(form, "credentials"),
  });
}

export type SnippetResult = { snippet: string; lastProfile: string } | { error: FieldError };

/** A config snippet chaining the managed roles in order, sourced from `Base profile`. */
export async function generateSnippet(form: FormData): Promise<SnippetResult> {
  const baseProfile = text(form, "baseProfile").trim();
  if (!/^[\w+=,.@-]{1,64}$/.test(baseProfile)) {
    return {
      error: {
        field: "Base profile",
        message: "Base profile must be 1-64 letters, digits or + = , . @ _ - (e.g. base).",
      },
    };
  }

  const target = await getTarget();
  const roles = await listManagedRoles(target, {
    path: text(form, "path") || "/rolechain/",
    prefix: text(form, "prefix") || "rolechain-",
  });
  if (roles.length === 0) {
    return {
      error: { field: "Base profile", message: "No managed roles yet: provision roles first." },
    };
  }

  const snippet = generateProfileSnippet({
    roles: roles.map((role) => ({ roleName: role.roleName, roleArn: role.roleArn })),
    baseProfile,
    region: target.region,
  });
  return { snippet, lastProfile: roles.at(-1)?.roleName ?? "" };
}

/** A form value as text; a file or a missing field is the empty string. */
function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

type StartResult =
  | RunSummary
  | FieldError
  | { ok: true; value: RunSummary }
  | { ok: false; error: FieldError };

function toActionResult(result: StartResult): ActionResult {
  if ("ok" in result) return result.ok ? { runId: result.value.id } : { error: result.error };
  if ("field" in result) return { error: { field: result.field, message: result.message } };
  return { runId: result.id };
}
