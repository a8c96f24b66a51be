/**
 * Plain words next to AWS's text, for errors people find confusing. One catalog, so the engine
 * and tests use the same sentences.
 */
export const HINTS = {
  chainedDuration:
    "Role chaining limits every session to one hour: when temporary role credentials assume " +
    "another role, AWS refuses a DurationSeconds above 3600, whatever the role's " +
    "MaxSessionDuration says. Ask for 3600 or less, or turn on 'Retry chained hops at 3600 s'.",
  roleMaxDuration:
    "This role grants sessions of at most its MaxSessionDuration (3600 s unless raised, up to " +
    "43200). Ask for less, or provision the roles with a larger 'Maximum session duration'. " +
    "Chained hops stay capped at 3600 s either way.",
  verificationMismatch:
    "GetCallerIdentity with the new credentials named a different identity than AssumeRole " +
    "returned: the endpoint is not behaving like STS.",
  stoppedDuringRetry: "Stopped while waiting to retry this hop.",
  notEnoughRoles: "Provision more roles (Number of roles) or ask for fewer Hops.",
} as const;

export const chainedDurationNotice = (hop: number, requested: number) =>
  `Hop ${hop}: DurationSeconds ${requested} exceeds role chaining's 1-hour limit; retrying at ` +
  "3600 as chosen, and asking 3600 for the chained hops after it.";
