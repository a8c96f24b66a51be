import "server-only";
import { z } from "zod";
import { getRunRegistry } from "@/lib/runs/registry";
import { isRunId } from "@/lib/runs/run-id";
import type { RunSummary } from "@/lib/runs/types";

/** The one error shape of the runs API: `{ error: { code, message, field? } }`. */
export function jsonError(status: number, code: string, message: string, field?: string) {
  const error = field ? { code, message, field } : { code, message };
  return Response.json({ error }, { status, headers: { "cache-control": "no-store" } });
}

/** Only a well-formed id is echoed: anything else in a path may be huge or hold control bytes. */
export function runNotFound(id: string): Response {
  const message = isRunId(id)
    ? `No run with id ${id}.`
    : "No run with that id: run ids are 14 lowercase letters and digits.";
  return jsonError(404, "RunNotFound", message);
}

export interface RunRouteContext {
  params: Promise<{ id: string }>;
}

/** The run named in the path, or the 404 to return. */
export async function findRun(ctx: RunRouteContext): Promise<RunSummary | Response> {
  const { id } = await ctx.params;
  const run = isRunId(id) ? getRunRegistry().get(id) : undefined;
  return run ?? runNotFound(id);
}

/**
 * Parses query parameters with a zod object schema; a failure becomes a 400 naming the first
 * offending field and its rule (taken from the schema's own messages).
 */
export function parseQuery<T extends z.ZodObject>(
  request: Request,
  schema: T,
): z.infer<T> | Response {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? "query");
  return jsonError(400, "InvalidParameter", `${field}: ${issue?.message ?? "invalid"}`, field);
}

/** An optional integer query parameter within bounds, with the rule spelled out for people. */
export function integerParam(name: string, min: number, max: number, fallback: number) {
  const rule = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^-?\d{1,16}$/, rule)
    .transform(Number)
    .pipe(z.number().int(rule).min(min, rule).max(max, rule))
    .optional()
    .transform((value) => value ?? fallback);
}
