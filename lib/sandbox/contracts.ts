/**
 * Internal contracts of the sandbox between its layers: the HTTP/protocol layer (server,
 * routing, auth, IAM actions, persistence) and the STS layer (session tokens, policy
 * evaluation, AssumeRole, GetCallerIdentity). The sandbox imports nothing else from lib/.
 */

/** Who signed a request, after SigV4 verification. */
export type Caller =
  | {
      kind: "user";
      accountId: string;
      /** `arn:aws:iam::<acct>:user/<path><name>` */
      arn: string;
      userName: string;
      /** `AIDA…` */
      userId: string;
      accessKeyId: string;
    }
  | {
      kind: "assumed-role";
      accountId: string;
      /** `arn:aws:sts::<acct>:assumed-role/<roleName>/<session>` */
      arn: string;
      session: SessionClaims;
      accessKeyId: string;
    };

/**
 * Everything a role session is, carried inside its (encrypted, self-describing) session token,
 * so the sandbox keeps no table of sessions.
 */
export interface SessionClaims {
  accountId: string;
  /** `arn:aws:iam::<acct>:role/<path><name>` of the assumed role. */
  roleArn: string;
  roleName: string;
  /** `AROA…` */
  roleId: string;
  sessionName: string;
  /** Epoch milliseconds (sandbox clock). */
  issuedAt: number;
  expiresAt: number;
  /** True when the session was made from role credentials. */
  chained: boolean;
  /** Session tags of this session (keys as given). */
  tags: Record<string, string>;
  /** Keys of tags that are transitive (pass to sessions made from this one). */
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  /** The session policy passed as AssumeRole's `Policy` (minified JSON), if any. */
  sessionPolicy?: string;
}

export interface RoleRecord {
  accountId: string;
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  /** JSON text as given (not URL-encoded). */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  /** Epoch ms. */
  createDate: number;
  tags: Array<{ Key: string; Value: string }>;
}

export interface UserRecord {
  accountId: string;
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: number;
}

/** What the STS layer needs to read from state. Implemented by the persistence layer. */
export interface StsStateReader {
  accountId: string;
  /** Case-insensitive lookup, as IAM treats role names. */
  getRoleByName(roleName: string): RoleRecord | undefined;
  /** Identity policies (inline and attached) of a user, as JSON texts. */
  getUserPolicies(userName: string): string[];
  /** Inline policies of a role, as JSON texts. */
  getRolePolicies(roleName: string): string[];
  getUserTags(userName: string): Record<string, string>;
}

/** The knobs, changeable at run time. */
export interface SandboxKnobs {
  /** Added to every request, in milliseconds. */
  latencyMs: number;
  /** Fraction (0..1) of requests answered with `Throttling` 400 "Rate exceeded". */
  throttleRate: number;
  /** A new role is not assumable (AccessDenied) for this long after creation. */
  propagationDelayMs: number;
  /** Added to the real clock, in milliseconds. */
  clockOffsetMs: number;
  /** Fraction (0..1) of requests answered with 500 `ServiceFailure`. */
  faultRate: number;
}
