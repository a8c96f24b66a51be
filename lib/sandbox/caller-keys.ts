/**
 * Who a signing key belongs to: a user's long-term `AKIA…` key from state, or an `ASIA…` role
 * session key whose claims travel in its session token (opened by the STS layer's codec).
 */
import type { Caller, SessionClaims } from "./contracts";
import { InvalidClientTokenId } from "./errors";
import type { SandboxState } from "./state";

export const INVALID_TOKEN = "The security token included in the request is invalid.";

/** The STS layer's session token functions (lib/sandbox/session-token.ts), injected. */
export interface SessionCodec {
  openSessionToken(masterKey: Buffer, accessKeyId: string, sessionToken: string): SessionClaims;
  deriveSessionSecret(masterKey: Buffer, accessKeyId: string): string;
}

/** `arn:aws:sts::<acct>:assumed-role/<role>/<session>`: the role's path is not part of it. */
function assumedRoleArn(claims: SessionClaims): string {
  return `arn:aws:sts::${claims.accountId}:assumed-role/${claims.roleName}/${claims.sessionName}`;
}

export interface KeyMaterial {
  secretAccessKey: string;
  toCaller(): Caller;
  expiresAt?: number;
}

/**
 * The secret to verify a signature with, the caller it stands for, and (for a session) when it
 * expires. Throws `InvalidClientTokenId` for a key that is not ours, inactive, or a session key
 * without a token that opens.
 */
export function resolveKey(
  accessKeyId: string,
  token: string | undefined,
  state: SandboxState,
  codec: SessionCodec,
): KeyMaterial {
  if (accessKeyId.startsWith("ASIA")) {
    if (!token) throw new InvalidClientTokenId(INVALID_TOKEN);
    const claims = codec.openSessionToken(state.masterKey, accessKeyId, token);
    return {
      secretAccessKey: codec.deriveSessionSecret(state.masterKey, accessKeyId),
      expiresAt: claims.expiresAt,
      toCaller: () => ({
        kind: "assumed-role",
        accountId: claims.accountId,
        arn: assumedRoleArn(claims),
        session: claims,
        accessKeyId,
      }),
    };
  }
  // A long-term key signs alone: AWS refuses a session token sent with one (a stale
  // AWS_SESSION_TOKEN beside new keys is the usual cause).
  if (token !== undefined) throw new InvalidClientTokenId(INVALID_TOKEN);
  const key = state.getAccessKey(accessKeyId);
  if (key?.status !== "Active") throw new InvalidClientTokenId(INVALID_TOKEN);
  const { user } = key;
  return {
    secretAccessKey: key.secretAccessKey,
    toCaller: () => ({
      kind: "user",
      accountId: user.accountId,
      arn: user.arn,
      userName: user.userName,
      userId: user.userId,
      accessKeyId,
    }),
  };
}
