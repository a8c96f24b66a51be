/**
 * RoleSessionName templates: `{run}` and `{hop}` are filled in per hop, and the result always
 * fits STS's rule (2-64 characters of `[\w+=,.@-]`). Checked once, before the run starts.
 */

export const DEFAULT_SESSION_NAME_TEMPLATE = "rolechain-{run}-{hop}";
const MIN_LENGTH = 2;
const MAX_LENGTH = 64;
/** Room kept for `{hop}`: a million hops is 7 digits. */
const HOP_DIGITS = 7;
const PLACEHOLDER = /\{(\w*)\}/g;
const ALLOWED = /^[\w+=,.@-]*$/;
const PLACEHOLDERS = new Set(["run", "hop"]);

/** Why the template cannot work, in words for the person; undefined when it can. */
export function checkSessionNameTemplate(template: string): string | undefined {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!PLACEHOLDERS.has(name ?? "")) {
      return `uses {${name}}; only {run} and {hop} are filled in.`;
    }
  }
  const literal = template.replace(PLACEHOLDER, "");
  if (!ALLOWED.test(literal)) {
    return (
      "may use only letters, digits, {run}, {hop} and + = , . @ _ - " +
      "(STS's RoleSessionName rule)."
    );
  }
  const { runs, hops } = countPlaceholders(template);
  // `{run}` may be shortened to one character to fit; `{hop}` never is.
  const longest = literal.length + runs + hops * HOP_DIGITS;
  if (longest > MAX_LENGTH) {
    return (
      "is too long: with a 7-digit hop number it would exceed " +
      `STS's ${MAX_LENGTH}-character limit.`
    );
  }
  if (literal.length + runs + hops < MIN_LENGTH) {
    return `must make names of at least ${MIN_LENGTH} characters.`;
  }
  return undefined;
}

/**
 * Prepares the template for one run: `{run}` becomes the run id, cut short only when the name
 * would otherwise exceed 64 characters. Call `checkSessionNameTemplate` first.
 *
 * @example
 * compileSessionName("rolechain-{run}-{hop}", "0mirh3k2qx7f1a")(7) // "rolechain-0mirh3k2qx7f1a-7"
 */
export function compileSessionName(template: string, runId: string): (hop: number) => string {
  const { runs, hops } = countPlaceholders(template);
  const literal = template.replace(PLACEHOLDER, "").length;
  const room = runs === 0 ? 0 : Math.floor((MAX_LENGTH - literal - hops * HOP_DIGITS) / runs);
  const run = runId.slice(0, Math.max(1, room));
  const withRun = template.replaceAll("{run}", run);
  if (hops === 0) return () => withRun;
  const parts = withRun.split("{hop}");
  return (hop) => parts.join(String(hop));
}

function countPlaceholders(template: string): { runs: number; hops: number } {
  let runs = 0;
  let hops = 0;
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (name === "run") runs++;
    if (name === "hop") hops++;
  }
  return { runs, hops };
}
