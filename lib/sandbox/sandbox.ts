/**
 * Assembles one sandbox: state, knobs, clock, the request handler and a node:http server on
 * loopback. `index.ts` wires in the STS layer; this file takes it as a parameter so the
 * layers stay testable apart.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isAllowed, notAuthorizedMessage } from "./authorize";
import type { Caller, SandboxKnobs } from "./contracts";
import { AccessDenied } from "./errors";
import { createRequestHandler, type SandboxStats, type StsHandler } from "./server";
import { deriveSessionSecret, openSessionToken } from "./session-token";
import { ADMIN_POLICY, ADMIN_POLICY_NAME, BASE_USER_NAME, openSandboxState } from "./state";

export const DEFAULT_KNOBS: SandboxKnobs = {
  latencyMs: 0,
  throttleRate: 0,
  propagationDelayMs: 0,
  clockOffsetMs: 0,
  faultRate: 0,
};

export interface SandboxOptions {
  /** Where `sandbox.db` lives; created if missing. */
  dataDir: string;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 123456789012; fixed for a data dir once created. */
  accountId?: string;
  knobs?: Partial<SandboxKnobs>;
  /** Roles the account may hold (AWS's default quota is 1000). */
  roleQuota?: number;
  /** Epoch ms; defaults to Date.now. The sandbox clock is this plus `knobs.clockOffsetMs`. */
  now?: () => number;
  /** In [0, 1); drives the throttle and fault knobs. Defaults to Math.random. */
  random?: () => number;
  /** Structured log, one call per thing that happened; never given secrets. */
  log?: (fields: Record<string, unknown>) => void;
  /** Users with given keys (for tests); created or updated, idempotent. */
  seedUsers?: Array<{
    userName: string;
    accessKeyId: string;
    secretAccessKey: string;
    /** Inline policies as JSON texts. */
    policies?: string[];
    /** IAM tags of the user (they become `aws:PrincipalTag/*` in its requests). */
    tags?: Record<string, string>;
  }>;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  accountId: string;
  baseUser: { userName: string; arn: string; accessKeyId: string; secretAccessKey: string };
  setKnobs(knobs: Partial<SandboxKnobs>): void;
  stats(): SandboxStats;
  close(): Promise<void>;
}

const KNOB_RANGES: Record<keyof SandboxKnobs, [number, number]> = {
  latencyMs: [0, 600_000],
  throttleRate: [0, 1],
  propagationDelayMs: [0, 86_400_000],
  clockOffsetMs: [-10 * 365 * 86_400_000, 10 * 365 * 86_400_000],
  faultRate: [0, 1],
};

/** Throws a RangeError naming the knob when a value is not a finite number in its range. */
export function checkKnobs(knobs: Partial<SandboxKnobs>): void {
  for (const [name, value] of Object.entries(knobs)) {
    const range = KNOB_RANGES[name as keyof SandboxKnobs];
    if (!range) throw new RangeError(`knobs.${name}: unknown knob`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`knobs.${name}: must be a finite number, got ${String(value)}`);
    }
    if (value < range[0] || value > range[1]) {
      throw new RangeError(`knobs.${name}: must be between ${range[0]} and ${range[1]}`);
    }
  }
}

function checkSeedUsers(seeds: NonNullable<SandboxOptions["seedUsers"]>): void {
  seeds.forEach((seed, i) => {
    const at = `seedUsers[${i}]`;
    if (!/^[\w+=,.@-]{1,64}$/.test(seed.userName)) {
      throw new RangeError(`${at}.userName: must be 1-64 of [\\w+=,.@-], got '${seed.userName}'`);
    }
    if (!/^AKIA[A-Z0-9]{12,124}$/.test(seed.accessKeyId)) {
      throw new RangeError(`${at}.accessKeyId: must be AKIA followed by 12-124 of [A-Z0-9]`);
    }
    if (seed.secretAccessKey.length === 0) {
      throw new RangeError(`${at}.secretAccessKey: must not be empty`);
    }
  });
}

function denialReason(result: string, action: string): string {
  return result === "ExplicitlyDenied"
    ? "with an explicit deny in an identity-based policy"
    : `because no identity-based policy allows the ${action} action`;
}

export async function createSandbox(
  options: SandboxOptions,
  stsActions: Readonly<Record<string, StsHandler>>,
): Promise<Sandbox> {
  const knobs: SandboxKnobs = { ...DEFAULT_KNOBS };
  const setKnobs = (next: Partial<SandboxKnobs>) => {
    checkKnobs(next);
    Object.assign(knobs, next);
  };
  setKnobs(options.knobs ?? {});
  const roleQuota = options.roleQuota ?? 1000;
  if (!Number.isInteger(roleQuota) || roleQuota < 0) {
    throw new RangeError(`roleQuota: must be a whole number >= 0, got ${roleQuota}`);
  }
  const now = options.now ?? Date.now;
  const clock = () => now() + knobs.clockOffsetMs;
  const userLog = options.log ?? (() => {});
  const log = (fields: Record<string, unknown>) => {
    try {
      userLog(fields);
    } catch (error) {
      // A logger that throws must not take a request (or the process) down with it; stderr
      // is the one place left to say so.
      process.stderr.write(`rolechain sandbox: log function failed: ${String(error)}\n`);
    }
  };
  checkSeedUsers(options.seedUsers ?? []);
  if (options.accountId !== undefined && !/^\d{12}$/.test(options.accountId)) {
    throw new RangeError(`accountId: must be 12 digits, got '${options.accountId}'`);
  }
  const state = openSandboxState(options.dataDir, options.accountId);
  try {
    const base = state.ensureUser({
      userName: BASE_USER_NAME,
      now: clock(),
      policies: { [ADMIN_POLICY_NAME]: ADMIN_POLICY },
    });
    for (const seed of options.seedUsers ?? []) {
      state.ensureUser({
        userName: seed.userName,
        now: clock(),
        accessKeyId: seed.accessKeyId,
        secretAccessKey: seed.secretAccessKey,
        ...(seed.tags === undefined ? {} : { tags: seed.tags }),
        policies: Object.fromEntries((seed.policies ?? []).map((p, i) => [`seed-${i + 1}`, p])),
      });
    }
    // Keys come from requests (the signing region): maps without a prototype take any name.
    const stats: SandboxStats = {
      requests: 0,
      byAction: Object.create(null),
      regions: Object.create(null),
    };
    const authorize = async (caller: Caller, action: string, resource: string, at: number) => {
      const decision = await isAllowed(state, caller, action, resource, { now: at });
      if (decision.allowed) return;
      if (decision.detail) log({ event: "policy-invalid", action, detail: decision.detail });
      throw new AccessDenied(
        `${notAuthorizedMessage(caller.arn, action, resource)} ` +
          denialReason(decision.result, action),
      );
    };
    const server = http.createServer(
      createRequestHandler({
        state,
        roleQuota,
        knobs: () => ({ ...knobs }),
        clock,
        random: options.random ?? Math.random,
        log,
        codec: { openSessionToken, deriveSessionSecret },
        stsActions,
        authorize,
        stats,
      }),
    );
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    log({ event: "listening", url, accountId: state.accountId, dataDir: options.dataDir });
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      accountId: state.accountId,
      baseUser: {
        userName: base.user.userName,
        arn: base.user.arn,
        accessKeyId: base.accessKeyId,
        secretAccessKey: base.secretAccessKey,
      },
      setKnobs,
      stats: () => structuredClone(stats),
      close: () => {
        closing ??= new Promise<void>((resolve) => {
          server.close(() => {
            state.close();
            log({ event: "closed", url });
            resolve();
          });
          server.closeAllConnections();
        });
        return closing;
      },
    };
  } catch (error) {
    state.close();
    throw error;
  }
}
