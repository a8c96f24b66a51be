import "server-only";
import { z } from "zod";

/** A refused form input: `field` is the form label the person sees, `message` says the rule. */
export interface FieldError {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const formatNumber = (value: number) => value.toLocaleString("en-US");

/** Input echoed in a message is cut to this many characters: a form can send a megabyte. */
export const MAX_ECHO_CHARS = 40;

/**
 * What the person typed, quoted for an error message and cut short, so a huge value cannot
 * turn one refusal into a megabyte answer (and a megabyte line on the page).
 *
 * @example quoteInput("x".repeat(1e6)) // "\"xxxx…\" (1,000,000 characters)"
 */
export function quoteInput(raw: unknown): string {
  const text = typeof raw === "string" ? raw : JSON.stringify(raw ?? "");
  if (typeof raw !== "string") return text.length <= MAX_ECHO_CHARS ? text : quoteInput(text);
  if (text.length <= MAX_ECHO_CHARS) return JSON.stringify(text);
  const cut = JSON.stringify(`${text.slice(0, MAX_ECHO_CHARS)}…`);
  return `${cut} (${formatNumber(text.length)} characters)`;
}

/**
 * A whole number from `min` to `max`, given as a number or as the digits a form sends.
 * Text, fractions, exponents and empty strings are refused with the label and the range.
 */
export function integerField(label: string, min: number, max: number) {
  return z.unknown().transform((raw, ctx): number => {
    const text = typeof raw === "string" ? raw.trim() : undefined;
    const value = typeof raw === "number" ? raw : text && /^-?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      ctx.addIssue({
        code: "custom",
        message:
          `${label} must be a whole number from ${formatNumber(min)} to ${formatNumber(max)}; ` +
          `got ${quoteInput(raw)}.`,
      });
      return z.NEVER;
    }
    return value;
  });
}

/** Like `integerField`, but a missing or empty value means "not given" (undefined). */
export function optionalIntegerField(label: string, min: number, max: number) {
  const field = integerField(label, min, max);
  return z
    .unknown()
    .transform((raw, ctx): number | undefined => {
      if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
        return undefined;
      }
      const parsed = field.safeParse(raw);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? label });
      return z.NEVER;
    })
    .optional();
}

/** A yes/no option as a checkbox or JSON sends it. */
export function booleanField(label: string) {
  return z.unknown().transform((raw, ctx): boolean => {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "on") return true;
    if (raw === "false" || raw === "off") return false;
    ctx.addIssue({ code: "custom", message: `${label} must be on or off.` });
    return z.NEVER;
  });
}

/** Runs a schema and turns its first problem into a FieldError named after the form label. */
export function validate<T>(
  schema: z.ZodType<T>,
  input: unknown,
  labels: Record<string, string>,
): Validated<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? "");
  return {
    ok: false,
    error: {
      field: labels[key] ?? key,
      message: issue?.message ?? "Invalid input.",
    },
  };
}
