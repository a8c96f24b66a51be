import "server-only";
import path from "node:path";

/**
 * Which AWS-compatible target rolechain talks to, read from the environment alone. No network:
 * connecting (and learning the account) is `getTarget`'s job.
 */
export type TargetConfig =
  | { kind: "sandbox"; region: string; dataDir: string; port: number }
  | {
      kind: "endpoint";
      region: string;
      endpoints: { sts: string; iam: string };
      /** Which variables the endpoints came from, for the start-up log line. */
      endpointSources: { sts: string; iam: string };
      profile?: string;
    }
  | { kind: "aws"; region: string; profile?: string };

/** A bad setting: names the variable and the rule it broke. */
export class TargetConfigError extends Error {
  readonly code = "InvalidTargetConfig";
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = "TargetConfigError";
  }
}

const DEFAULT_REGION = "us-east-1";
const TARGET_KINDS = ["sandbox", "endpoint", "aws"] as const;
// Partition-agnostic shape: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`.
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

type Env = Record<string, string | undefined>;

/**
 * Reads `ROLECHAIN_TARGET` (`sandbox` default | `endpoint` | `aws`) and the variables that
 * target needs. Throws a `TargetConfigError` naming the variable for a bad value.
 *
 * @example
 * resolveTargetConfig({ ROLECHAIN_TARGET: "endpoint", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" })
 */
export function resolveTargetConfig(env: Env = process.env): TargetConfig {
  const kind = nonEmpty(env.ROLECHAIN_TARGET) ?? "sandbox";
  if (!isTargetKind(kind)) {
    throw new TargetConfigError(
      "ROLECHAIN_TARGET",
      `ROLECHAIN_TARGET must be one of ${TARGET_KINDS.join(", ")}; got "${kind}".`,
    );
  }
  const region = resolveRegion(env);
  const profile = nonEmpty(env.AWS_PROFILE);

  if (kind === "sandbox") {
    const dataRoot = nonEmpty(env.ROLECHAIN_DATA_DIR) ?? ".rolechain";
    return {
      kind,
      region,
      dataDir: path.join(path.resolve(/*turbopackIgnore: true*/ dataRoot), "sandbox"),
      port: resolvePort(env.ROLECHAIN_SANDBOX_PORT),
    };
  }

  if (kind === "endpoint") {
    const sts = resolveEndpoint(env, "AWS_ENDPOINT_URL_STS");
    const iam = resolveEndpoint(env, "AWS_ENDPOINT_URL_IAM");
    return {
      kind,
      region,
      endpoints: { sts: sts.url, iam: iam.url },
      endpointSources: { sts: sts.variable, iam: iam.variable },
      ...(profile ? { profile } : {}),
    };
  }

  return { kind, region, ...(profile ? { profile } : {}) };
}

function isTargetKind(value: string): value is TargetConfig["kind"] {
  return (TARGET_KINDS as readonly string[]).includes(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function resolveRegion(env: Env): string {
  for (const variable of ["AWS_REGION", "AWS_DEFAULT_REGION"] as const) {
    const value = nonEmpty(env[variable]);
    if (value === undefined) continue;
    if (!REGION_PATTERN.test(value)) {
      throw new TargetConfigError(
        variable,
        `${variable} must be an AWS region name such as us-east-1; got "${value}".`,
      );
    }
    return value;
  }
  return DEFAULT_REGION;
}

function resolvePort(raw: string | undefined): number {
  const value = nonEmpty(raw);
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new TargetConfigError(
      "ROLECHAIN_SANDBOX_PORT",
      "ROLECHAIN_SANDBOX_PORT must be an integer from 0 to 65535 (0 picks a free port); " +
        `got "${value}".`,
    );
  }
  return port;
}

/** The service's own variable wins over `AWS_ENDPOINT_URL`, as in the AWS SDKs. */
function resolveEndpoint(env: Env, serviceVariable: string): { url: string; variable: string } {
  const variable = nonEmpty(env[serviceVariable]) ? serviceVariable : "AWS_ENDPOINT_URL";
  const value = nonEmpty(env[variable]);
  if (value === undefined) {
    throw new TargetConfigError(
      serviceVariable,
      `ROLECHAIN_TARGET=endpoint needs ${serviceVariable} or AWS_ENDPOINT_URL ` +
        "set to an http(s) URL.",
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw Object.assign(
      new TargetConfigError(variable, `${variable} must be an http(s) URL; got "${value}".`),
      { cause },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TargetConfigError(variable, `${variable} must use http or https; got "${value}".`);
  }
  if (url.username || url.password) {
    throw new TargetConfigError(variable, `${variable} must not carry a user name or password.`);
  }
  return { url: value.replace(/\/+$/, ""), variable };
}
