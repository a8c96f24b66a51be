/**
 * Two sandboxes on one data dir (two processes, or a restart overlapping the old one) share one
 * SQLite file. Each checks before it writes; these tests put the other sandbox's write between
 * one sandbox's check and its own write, which two processes can do at any time.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { RoleRecord } from "./contracts";
import { openSandboxState, type SandboxState } from "./state";
import { makeTempDir } from "./test-support";

const opened: SandboxState[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const state of opened.splice(0)) state.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function twoStatesOnOneDir(): [SandboxState, SandboxState] {
  const dir = makeTempDir();
  dirs.push(dir);
  const a = openSandboxState(dir);
  const b = openSandboxState(dir);
  opened.push(a, b);
  return [a, b];
}

function role(name: string, id: string): RoleRecord {
  return {
    accountId: "123456789012",
    roleName: name,
    roleId: id,
    path: "/",
    arn: `arn:aws:iam::123456789012:role/${name}`,
    assumeRolePolicyDocument: "{}",
    maxSessionDuration: 3600,
    createDate: 0,
    tags: [],
  };
}

describe("two sandboxes on one data dir", () => {
  it("lets one insert a role name (ignoring case); the other gets EntityAlreadyExists", () => {
    const [a, b] = twoStatesOnOneDir();
    // b checked for "Shared" and found nothing; then a wrote it.
    expect(b.getRoleByName("Shared")).toBeUndefined();
    a.insertRole(role("shared", "AROAAAAAAAAAAAAAAAAA1"), 1000);
    expect(() => b.insertRole(role("Shared", "AROAAAAAAAAAAAAAAAAA2"), 1000)).toThrow(
      expect.objectContaining({ code: "EntityAlreadyExists", status: 409 }),
    );
    expect(b.countRoles()).toBe(1);
  });

  it("holds the role quota across both: the insert past it gets LimitExceeded", () => {
    const [a, b] = twoStatesOnOneDir();
    expect(b.countRoles()).toBe(0);
    a.insertRole(role("first", "AROAAAAAAAAAAAAAAAAA1"), 1);
    expect(() => b.insertRole(role("second", "AROAAAAAAAAAAAAAAAAA2"), 1)).toThrow(
      expect.objectContaining({ code: "LimitExceeded", status: 409 }),
    );
    expect(a.countRoles()).toBe(1);
  });
});
