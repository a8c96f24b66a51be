/**
 * The sandbox's persistent state: one SQLite file (WAL) in the data dir holding the account,
 * users with their inline policies, tags and access keys, roles with theirs, and the master
 * key the STS layer seals session tokens with. Sessions themselves are never stored: a session
 * token carries its own claims, so state does not grow with the number of sessions issued.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { RoleRecord, StsStateReader, UserRecord } from "./contracts";
import { EntityAlreadyExists, LimitExceeded } from "./errors";
import { newMasterKey, newSecretAccessKey, newUserAccessKeyId, newUserId } from "./ids";
import type { Tag } from "./query";

export const DEFAULT_ACCOUNT_ID = "123456789012";
export const BASE_USER_NAME = "admin";
export const ADMIN_POLICY_NAME = "AdministratorAccess";
export const ADMIN_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

export interface AccessKeyRecord {
  accessKeyId: string;
  /** The sandbox's own secret: it must know it to verify signatures, as AWS does. */
  secretAccessKey: string;
  user: UserRecord;
  status: "Active" | "Inactive";
}

export interface ListRolesQuery {
  pathPrefix: string;
  /** Return roles whose name sorts after this one (case-insensitive); the paging marker. */
  after?: string;
  limit: number;
}

interface RoleRow {
  role_name: string;
  role_id: string;
  path: string;
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
  create_date: number;
  tags: string;
}

interface UserRow {
  user_name: string;
  user_id: string;
  path: string;
  create_date: number;
  tags: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  user_name TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, user_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL, create_date INTEGER NOT NULL, tags TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS user_policies (
  user_id TEXT NOT NULL, policy_name TEXT NOT NULL, document TEXT NOT NULL,
  PRIMARY KEY (user_id, policy_name));
CREATE TABLE IF NOT EXISTS access_keys (
  access_key_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, secret TEXT NOT NULL,
  status TEXT NOT NULL, create_date INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS roles (
  role_name TEXT NOT NULL COLLATE NOCASE PRIMARY KEY, role_id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL, trust_policy TEXT NOT NULL, description TEXT,
  max_session_duration INTEGER NOT NULL, create_date INTEGER NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS role_policies (
  role_id TEXT NOT NULL, policy_name TEXT NOT NULL, document TEXT NOT NULL,
  PRIMARY KEY (role_id, policy_name));
`;

export class AccountMismatchError extends Error {
  readonly code = "AccountMismatch";
}

/** Opens (creating on first use) `<dataDir>/sandbox.db`. */
export function openSandboxState(dataDir: string, accountId?: string): SandboxState {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, "sandbox.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);
  return new SandboxState(db, accountId);
}

export class SandboxState implements StsStateReader {
  readonly accountId: string;
  readonly masterKey: Buffer;
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    requestedAccountId?: string,
  ) {
    const getMeta = db.prepare<[string], { value: Buffer | string }>(
      "SELECT value FROM meta WHERE key = ?",
    );
    const setMeta = db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)");
    db.transaction(() => {
      setMeta.run("account_id", requestedAccountId ?? DEFAULT_ACCOUNT_ID);
      setMeta.run("master_key", newMasterKey());
    })();
    this.accountId = String(getMeta.get("account_id")?.value);
    const key = getMeta.get("master_key")?.value;
    if (!Buffer.isBuffer(key) || key.length !== 32) throw new Error("corrupt master key");
    this.masterKey = key;
    if (requestedAccountId !== undefined && requestedAccountId !== this.accountId) {
      db.close();
      throw new AccountMismatchError(
        `account: the data dir belongs to account ${this.accountId}, not ${requestedAccountId}; ` +
          "use another data dir for another account",
      );
    }
    this.q = {
      role: db.prepare<[string], RoleRow>("SELECT * FROM roles WHERE role_name = ?"),
      roleCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM roles"),
      insertRole: db.prepare(
        `INSERT INTO roles (role_name, role_id, path, trust_policy, description,
           max_session_duration, create_date, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      listRoles: db.prepare<[string, string, string, number], RoleRow>(
        `SELECT * FROM roles WHERE substr(path, 1, length(?)) = ? AND role_name > ?
         ORDER BY role_name LIMIT ?`,
      ),
      deleteRole: db.prepare("DELETE FROM roles WHERE role_id = ?"),
      setTrust: db.prepare("UPDATE roles SET trust_policy = ? WHERE role_id = ?"),
      setRoleTags: db.prepare("UPDATE roles SET tags = ? WHERE role_id = ?"),
      setUserTags: db.prepare("UPDATE users SET tags = ? WHERE user_id = ?"),
      putRolePolicy: db.prepare(
        "INSERT OR REPLACE INTO role_policies (role_id, policy_name, document) VALUES (?, ?, ?)",
      ),
      rolePolicy: db.prepare<[string, string], { document: string }>(
        "SELECT document FROM role_policies WHERE role_id = ? AND policy_name = ?",
      ),
      rolePolicies: db.prepare<[string], { policy_name: string; document: string }>(
        "SELECT policy_name, document FROM role_policies WHERE role_id = ? ORDER BY policy_name",
      ),
      rolePoliciesByName: db.prepare<[string], { document: string }>(
        `SELECT p.document FROM role_policies p JOIN roles r ON r.role_id = p.role_id
         WHERE r.role_name = ? ORDER BY p.policy_name`,
      ),
      deleteRolePolicy: db.prepare(
        "DELETE FROM role_policies WHERE role_id = ? AND policy_name = ?",
      ),
      rolePolicyCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM role_policies"),
      user: db.prepare<[string], UserRow>("SELECT * FROM users WHERE user_name = ?"),
      userCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users"),
      insertUser: db.prepare(
        "INSERT INTO users (user_name, user_id, path, create_date) VALUES (?, ?, ?, ?)",
      ),
      userPolicies: db.prepare<[string], { document: string }>(
        `SELECT p.document FROM user_policies p JOIN users u ON u.user_id = p.user_id
         WHERE u.user_name = ? ORDER BY p.policy_name`,
      ),
      putUserPolicy: db.prepare(
        "INSERT OR REPLACE INTO user_policies (user_id, policy_name, document) VALUES (?, ?, ?)",
      ),
      userPolicyCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM user_policies"),
      accessKey: db.prepare<
        [string],
        { access_key_id: string; user_id: string; secret: string; status: string }
      >("SELECT * FROM access_keys WHERE access_key_id = ?"),
      // One query on the hot path of every user-signed request.
      accessKeyWithUser: db.prepare<
        [string],
        UserRow & { access_key_id: string; secret: string; status: string }
      >(
        `SELECT k.access_key_id, k.secret, k.status, u.* FROM access_keys k
         JOIN users u ON u.user_id = k.user_id WHERE k.access_key_id = ?`,
      ),
      firstKeyOfUser: db.prepare<[string], { access_key_id: string; secret: string }>(
        `SELECT access_key_id, secret FROM access_keys WHERE user_id = ? AND status = 'Active'
         ORDER BY create_date, access_key_id LIMIT 1`,
      ),
      insertKey: db.prepare(
        `INSERT INTO access_keys (access_key_id, user_id, secret, status, create_date)
         VALUES (?, ?, ?, 'Active', ?)`,
      ),
      updateKey: db.prepare(
        "UPDATE access_keys SET secret = ?, status = 'Active' WHERE access_key_id = ?",
      ),
      accessKeyCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM access_keys"),
    };
  }

  close(): void {
    this.db.close();
  }

  // ---- roles -------------------------------------------------------------------------------

  getRoleByName(roleName: string): RoleRecord | undefined {
    const row = this.q.role.get(roleName);
    return row && this.toRole(row);
  }

  countRoles(): number {
    return this.q.roleCount.get()?.n ?? 0;
  }

  /**
   * Inserts a role unless its name (ignoring case) is taken or the account already holds
   * `quota` roles. The checks and the insert are one write transaction (BEGIN IMMEDIATE), so
   * two sandboxes on one data dir cannot both create a name or both pass the quota.
   * Throws `EntityAlreadyExists` or `LimitExceeded` with IAM's texts.
   */
  insertRole(role: RoleRecord, quota: number): void {
    this.db
      .transaction(() => {
        if (this.q.role.get(role.roleName)) {
          throw new EntityAlreadyExists(`Role with name ${role.roleName} already exists.`);
        }
        if (this.countRoles() >= quota) {
          throw new LimitExceeded(`Cannot exceed quota for RolesPerAccount: ${quota}`);
        }
        this.insertRoleRow(role);
      })
      .immediate();
  }

  private insertRoleRow(role: RoleRecord): void {
    this.q.insertRole.run(
      role.roleName,
      role.roleId,
      role.path,
      role.assumeRolePolicyDocument,
      role.description ?? null,
      role.maxSessionDuration,
      role.createDate,
      JSON.stringify(role.tags),
    );
  }

  listRoles(query: ListRolesQuery): RoleRecord[] {
    return this.q.listRoles
      .all(query.pathPrefix, query.pathPrefix, query.after ?? "", query.limit)
      .map((row) => this.toRole(row));
  }

  deleteRole(roleId: string): void {
    this.q.deleteRole.run(roleId);
  }

  updateAssumeRolePolicy(roleId: string, document: string): void {
    this.q.setTrust.run(document, roleId);
  }

  setRoleTags(roleId: string, tags: Tag[]): void {
    this.q.setRoleTags.run(JSON.stringify(tags), roleId);
  }

  putRolePolicy(roleId: string, policyName: string, document: string): void {
    this.q.putRolePolicy.run(roleId, policyName, document);
  }

  getRolePolicy(roleId: string, policyName: string): string | undefined {
    return this.q.rolePolicy.get(roleId, policyName)?.document;
  }

  /** Inline policies of a role by name, in name order. */
  listRolePolicies(roleId: string): Array<{ policyName: string; document: string }> {
    return this.q.rolePolicies
      .all(roleId)
      .map((row) => ({ policyName: row.policy_name, document: row.document }));
  }

  /** Returns false when there was no such policy. */
  deleteRolePolicy(roleId: string, policyName: string): boolean {
    return this.q.deleteRolePolicy.run(roleId, policyName).changes > 0;
  }

  getRolePolicies(roleName: string): string[] {
    return this.q.rolePoliciesByName.all(roleName).map((row) => row.document);
  }

  // ---- users and keys ----------------------------------------------------------------------

  getUserByName(userName: string): UserRecord | undefined {
    const row = this.q.user.get(userName);
    return row && this.toUser(row);
  }

  getUserPolicies(userName: string): string[] {
    return this.q.userPolicies.all(userName).map((row) => row.document);
  }

  getUserTags(userName: string): Record<string, string> {
    const row = this.q.user.get(userName);
    const tags: Tag[] = row ? JSON.parse(row.tags) : [];
    return Object.fromEntries(tags.map((tag) => [tag.Key, tag.Value]));
  }

  getAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    const row = this.q.accessKeyWithUser.get(accessKeyId);
    if (!row) return undefined;
    return {
      accessKeyId: row.access_key_id,
      secretAccessKey: row.secret,
      user: this.toUser(row),
      status: row.status === "Active" ? "Active" : "Inactive",
    };
  }

  /**
   * Makes sure a user exists with the given inline policies and, when given, the key pair; a
   * missing key is created. Idempotent: a later call with the same input changes nothing.
   */
  ensureUser(input: {
    userName: string;
    now: number;
    policies: Record<string, string>;
    /** Replaces the user's tags when given. */
    tags?: Record<string, string>;
    accessKeyId?: string;
    secretAccessKey?: string;
  }): { user: UserRecord; accessKeyId: string; secretAccessKey: string } {
    return this.db.transaction(() => {
      let row = this.q.user.get(input.userName);
      if (!row) {
        this.q.insertUser.run(input.userName, newUserId(), "/", input.now);
        row = this.q.user.get(input.userName) as UserRow;
      }
      if (input.tags !== undefined) {
        const tags = Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value }));
        this.q.setUserTags.run(JSON.stringify(tags), row.user_id);
      }
      for (const [name, document] of Object.entries(input.policies)) {
        this.q.putUserPolicy.run(row.user_id, name, document);
      }
      let key: { access_key_id: string; secret: string } | undefined;
      if (input.accessKeyId !== undefined) {
        const existing = this.q.accessKey.get(input.accessKeyId);
        if (existing && existing.user_id !== row.user_id) {
          throw new Error(`access key ${input.accessKeyId} belongs to another user`);
        }
        const secret = input.secretAccessKey ?? existing?.secret ?? newSecretAccessKey();
        if (existing) this.q.updateKey.run(secret, input.accessKeyId);
        else this.q.insertKey.run(input.accessKeyId, row.user_id, secret, input.now);
        key = { access_key_id: input.accessKeyId, secret };
      } else {
        key = this.q.firstKeyOfUser.get(row.user_id);
        if (!key) {
          key = { access_key_id: newUserAccessKeyId(), secret: newSecretAccessKey() };
          this.q.insertKey.run(key.access_key_id, row.user_id, key.secret, input.now);
        }
      }
      return {
        user: this.toUser(row),
        accessKeyId: key.access_key_id,
        secretAccessKey: key.secret,
      };
    })();
  }

  /** Counts for GetAccountSummary. */
  summary(): { roles: number; users: number; rolePolicies: number; userPolicies: number } {
    return {
      roles: this.countRoles(),
      users: this.q.userCount.get()?.n ?? 0,
      rolePolicies: this.q.rolePolicyCount.get()?.n ?? 0,
      userPolicies: this.q.userPolicyCount.get()?.n ?? 0,
    };
  }

  accessKeyCount(): number {
    return this.q.accessKeyCount.get()?.n ?? 0;
  }

  private toRole(row: RoleRow): RoleRecord {
    return {
      accountId: this.accountId,
      roleName: row.role_name,
      roleId: row.role_id,
      path: row.path,
      arn: `arn:aws:iam::${this.accountId}:role${row.path}${row.role_name}`,
      assumeRolePolicyDocument: row.trust_policy,
      ...(row.description === null ? {} : { description: row.description }),
      maxSessionDuration: row.max_session_duration,
      createDate: row.create_date,
      tags: JSON.parse(row.tags),
    };
  }

  private toUser(row: UserRow): UserRecord {
    return {
      accountId: this.accountId,
      userName: row.user_name,
      userId: row.user_id,
      path: row.path,
      arn: `arn:aws:iam::${this.accountId}:user${row.path}${row.user_name}`,
      createDate: row.create_date,
    };
  }
}
