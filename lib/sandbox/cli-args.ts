/**
 * The sandbox CLI's flags and their `ROLECHAIN_SANDBOX_*` environment twins, parsed into
 * `SandboxOptions`, and its stderr log line format. Kept apart from `cli.ts` so it can be
 * tested without starting anything.
 */
import type { SandboxKnobs } from "./contracts";
import type { SandboxOptions } from "./sandbox";

export const DEFAULT_DATA_DIR = ".rolechain/sandbox";

type Parse = (text: string, flag: string) => number | string;

function wholeNumber(min: number, max: number): Parse {
  return (text, flag) => {
    if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new UsageError(`${flag}: must be a whole number from ${min} to ${max}, got '${text}'`);
    }
    return Number(text);
  };
}

const fraction: Parse = (text, flag) => {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`${flag}: must be a number from 0 to 1, got '${text}'`);
  }
  return value;
};

const accountId: Parse = (text, flag) => {
  if (!/^\d{12}$/.test(text)) throw new UsageError(`${flag}: must be 12 digits, got '${text}'`);
  return text;
};

const nonEmpty: Parse = (text, flag) => {
  if (text.trim() === "") throw new UsageError(`${flag}: must not be empty`);
  return text;
};

const FLAGS = {
  "--port": wholeNumber(0, 65535),
  "--account": accountId,
  "--data": nonEmpty,
  "--latency-ms": wholeNumber(0, 600_000),
  "--throttle-rate": fraction,
  "--propagation-delay-ms": wholeNumber(0, 86_400_000),
  "--clock-offset-ms": wholeNumber(-315_360_000_000, 315_360_000_000),
  "--fault-rate": fraction,
} as const satisfies Record<string, Parse>;

type Flag = keyof typeof FLAGS;

const USAGE =
  "usage: npm run sandbox -- [--port N] [--account 123456789012] [--data DIR] " +
  "[--latency-ms N] [--throttle-rate F] [--propagation-delay-ms N] [--clock-offset-ms N] " +
  "[--fault-rate F]";

export class UsageError extends Error {
  readonly code = "Usage";
}

const envName = (flag: Flag) =>
  `ROLECHAIN_SANDBOX_${flag.slice(2).replace(/-/g, "_").toUpperCase()}`;

/** Reads flags (`--x N` or `--x=N`) over their environment twins. Throws `UsageError`. */
export function parseCliArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): Map<Flag, number | string> {
  const values = new Map<Flag, number | string>();
  for (const flag of Object.keys(FLAGS) as Flag[]) {
    const text = env[envName(flag)];
    if (text !== undefined && text !== "") values.set(flag, FLAGS[flag](text, envName(flag)));
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!Object.hasOwn(FLAGS, name)) throw new UsageError(`${name}: unknown flag\n${USAGE}`);
    const flag = name as Flag;
    const text = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (text === undefined) throw new UsageError(`${flag}: needs a value`);
    values.set(flag, FLAGS[flag](text, flag));
  }
  return values;
}

export function toSandboxOptions(values: Map<Flag, number | string>): SandboxOptions {
  const knobs: Partial<SandboxKnobs> = {};
  const knobOf: Partial<Record<Flag, keyof SandboxKnobs>> = {
    "--latency-ms": "latencyMs",
    "--throttle-rate": "throttleRate",
    "--propagation-delay-ms": "propagationDelayMs",
    "--clock-offset-ms": "clockOffsetMs",
    "--fault-rate": "faultRate",
  };
  for (const [flag, knob] of Object.entries(knobOf) as Array<[Flag, keyof SandboxKnobs]>) {
    const value = values.get(flag);
    if (typeof value === "number") knobs[knob] = value;
  }
  const account = values.get("--account");
  return {
    dataDir: String(values.get("--data") ?? DEFAULT_DATA_DIR),
    port: Number(values.get("--port") ?? 0),
    ...(typeof account === "string" ? { accountId: account } : {}),
    knobs,
  };
}

/** One log line: `key=value` pairs, values quoted when they hold spaces or quotes. */
export function formatLogLine(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    parts.push(`${key}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`);
  }
  return parts.join(" ");
}
