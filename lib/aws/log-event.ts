import "server-only";

export type LogFields = Record<string, string | number | boolean | undefined>;
export type LogEvent = (event: string, fields: LogFields) => void;

/**
 * One structured line on stderr per thing that happened. Callers pass no secrets: this module
 * cannot tell a secret from any other string, so the rule lives with whoever builds `fields`.
 */
export const logEvent: LogEvent = (event, fields) => {
  const line = { ts: new Date().toISOString(), level: "info", event, ...fields };
  process.stderr.write(`${JSON.stringify(line)}\n`);
};
