import "server-only";
import { z } from "zod";
import {
  booleanField,
  integerField,
  optionalIntegerField,
  type Validated,
  validate,
} from "@/lib/provision/field-error";
import { rolePathField, rolePrefixField } from "@/lib/provision/provision-options";
import { checkSessionNameTemplate, DEFAULT_SESSION_NAME_TEMPLATE } from "./session-name";
import { parseSessionTags, parseTransitiveTagKeys, type SessionTag } from "./session-tags";

export const MAX_HOPS = 1_000_000;

/** How every hop of a run is made, whatever the mode. */
export interface ChainOptions {
  /** GetCallerIdentity with each new session, checking it is the role asked for. */
  verify: boolean;
  sessionNameTemplate: string;
  /** DurationSeconds of each AssumeRole; STS's default (3600) when undefined. */
  durationSeconds?: number;
  intervalMs: number;
  /** Set on hop 0 only; the transitive ones pass down the chain. */
  sessionTags: SessionTag[];
  transitiveTagKeys: string[];
  /** Set on hop 0; STS keeps it for the rest of the chain. */
  sourceIdentity?: string;
  /** Case C05: retry a chained hop refused for asking more than an hour, at 3600. */
  retryChainedDurationAt3600: boolean;
}

export type ChainRequest =
  | {
      mode: "linear" | "pingpong";
      hops: number;
      path: string;
      prefix: string;
      options: ChainOptions;
    }
  | {
      mode: "profiles";
      profile: string;
      config: string;
      credentials: string;
      options: ChainOptions;
    };

/** Form labels; a refused input names one of these. */
export const CHAIN_LABELS = {
  mode: "Chain mode",
  hops: "Hops",
  path: "Role path",
  prefix: "Role name prefix",
  profile: "Profile",
  config: "AWS config",
  credentials: "AWS credentials",
  verify: "Verify each hop",
  sessionNameTemplate: "Session name template",
  durationSeconds: "DurationSeconds",
  intervalMs: "Interval between hops (ms)",
  sessionTags: "Session tags",
  transitiveTagKeys: "Transitive tag keys",
  sourceIdentity: "Source identity",
  retryChainedDurationAt3600: "Retry chained hops at 3600 s",
} as const;

const L = CHAIN_LABELS;
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;
const MAX_FILE_CHARS = 10 * 1024 * 1024;

const emptyToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const optionsShape = {
  verify: booleanField(L.verify).default(true),
  sessionNameTemplate: z.preprocess(
    emptyToUndefined,
    z
      .string({ error: `${L.sessionNameTemplate} must be text.` })
      .trim()
      .default(DEFAULT_SESSION_NAME_TEMPLATE)
      .superRefine((template, ctx) => {
        const problem = checkSessionNameTemplate(template);
        if (problem)
          ctx.addIssue({ code: "custom", message: `${L.sessionNameTemplate} ${problem}` });
      }),
  ),
  durationSeconds: optionalIntegerField(L.durationSeconds, 900, 43_200),
  intervalMs: optionalIntegerField(L.intervalMs, 0, 600_000).transform((ms) => ms ?? 0),
  sessionTags: z.unknown().optional(),
  transitiveTagKeys: z.unknown().optional(),
  sourceIdentity: z.preprocess(
    emptyToUndefined,
    z
      .string({ error: `${L.sourceIdentity} must be text.` })
      .trim()
      .regex(SOURCE_IDENTITY, {
        message: `${L.sourceIdentity} must be 2-64 letters, digits or + = , . @ _ - .`,
      })
      .optional(),
  ),
  retryChainedDurationAt3600: booleanField(L.retryChainedDurationAt3600).default(false),
};

const modeField = z.enum(["linear", "pingpong", "profiles"], {
  error: `${L.mode} must be Linear, Ping-pong or Profiles.`,
});

const roleChainSchema = z.object({
  mode: z.enum(["linear", "pingpong"]),
  hops: integerField(L.hops, 1, MAX_HOPS).default(100),
  path: z.preprocess(emptyToUndefined, rolePathField),
  prefix: z.preprocess(emptyToUndefined, rolePrefixField),
  ...optionsShape,
});

const profileChainSchema = z.object({
  mode: z.literal("profiles"),
  profile: z
    .string({ error: `${L.profile} is required.` })
    .trim()
    .min(1, { message: `${L.profile} is required: the profile whose role chain to run.` })
    .max(256, { message: `${L.profile} must be at most 256 characters.` }),
  config: fileField(L.config),
  credentials: fileField(L.credentials),
  ...optionsShape,
});

function fileField(label: string) {
  return z
    .string({ error: `${label} must be text.` })
    .max(MAX_FILE_CHARS, { message: `${label} must be at most 10 MB.` })
    .default("");
}

/**
 * Checks the chain form. Labels in errors are the form's; the pasted files come back as given
 * (the caller resolves them and must not store them).
 */
export function validateChainRequest(input: unknown): Validated<ChainRequest> {
  const source = (input ?? {}) as Record<string, unknown>;
  const mode = validate(z.object({ mode: modeField }), source, L);
  if (!mode.ok) return mode;

  const schema = mode.value.mode === "profiles" ? profileChainSchema : roleChainSchema;
  const parsed = validate(schema as z.ZodType<z.infer<typeof schema>>, source, L);
  if (!parsed.ok) return parsed;

  const tags = parseSessionTags(parsed.value.sessionTags);
  if (!tags.ok) return fieldError(L.sessionTags, tags.message);
  const transitive = parseTransitiveTagKeys(parsed.value.transitiveTagKeys, tags.value);
  if (!transitive.ok) return fieldError(L.transitiveTagKeys, transitive.message);

  const value = parsed.value;
  const options: ChainOptions = {
    verify: value.verify,
    sessionNameTemplate: value.sessionNameTemplate,
    ...(value.durationSeconds !== undefined ? { durationSeconds: value.durationSeconds } : {}),
    intervalMs: value.intervalMs,
    sessionTags: tags.value,
    transitiveTagKeys: transitive.value,
    ...(value.sourceIdentity !== undefined ? { sourceIdentity: value.sourceIdentity } : {}),
    retryChainedDurationAt3600: value.retryChainedDurationAt3600,
  };
  if (value.mode === "profiles") {
    const { profile, config, credentials } = value as z.infer<typeof profileChainSchema>;
    return { ok: true, value: { mode: "profiles", profile, config, credentials, options } };
  }
  const { hops, path, prefix } = value as z.infer<typeof roleChainSchema>;
  return { ok: true, value: { mode: value.mode, hops, path, prefix, options } };
}

function fieldError(field: string, rule: string): Validated<never> {
  return { ok: false, error: { field, message: `${field} ${rule}` } };
}
