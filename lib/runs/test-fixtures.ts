import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HopRecord } from "./types";

/** Test data only: a fresh data dir under the OS temp dir. */
export function makeTempDataDir(prefix = "rolechain-runs-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const ACCOUNT = "123456789012";
export const BASE_ARN = `arn:aws:iam::${ACCOUNT}:user/admin`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/rolechain/${name}`;
export const sessionArn = (name: string, session = "s") =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`;

/** A successful hop `n` into role `name`, from `fromName`'s session (or the base user). */
export function makeHop(
  n: number,
  name: string,
  fromName: string | null,
  overrides: Partial<HopRecord> = {},
): HopRecord {
  return {
    runId: "",
    hop: n,
    startedAt: "2026-12-04T10:00:00.000Z",
    finishedAt: "2026-12-04T10:00:00.012Z",
    latencyMs: 12,
    fromArn: fromName === null ? BASE_ARN : sessionArn(fromName),
    toArn: sessionArn(name),
    roleArn: roleArn(name),
    sessionName: "s",
    assumedRoleId: `AROAEXAMPLEEXAMPLE123:s`,
    accessKeyId: "ASIA…WXYZ",
    expiration: "2026-12-04T11:00:00.000Z",
    sourceIdentity: "",
    transitiveTags: "",
    status: "ok",
    errorCode: "",
    errorMessage: "",
    attempts: 1,
    region: "us-east-1",
    profile: "",
    ...overrides,
  };
}

/** Hops 0..hops of a ping-pong A<->B after base->A. */
export function pingPongHops(hops: number): HopRecord[] {
  const out: HopRecord[] = [];
  for (let n = 0; n <= hops; n++) {
    const name = n % 2 === 0 ? "A" : "B";
    const from = n === 0 ? null : n % 2 === 0 ? "B" : "A";
    out.push(makeHop(n, name, from));
  }
  return out;
}

/** Hops 0..hops of a linear chain through roles r0, r1, … */
export function linearHops(hops: number): HopRecord[] {
  const out: HopRecord[] = [];
  for (let n = 0; n <= hops; n++) out.push(makeHop(n, `r${n}`, n === 0 ? null : `r${n - 1}`));
  return out;
}
