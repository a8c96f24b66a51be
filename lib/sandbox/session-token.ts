/**
 * Self-describing role-session credentials. Real STS carries a session's context inside its
 * encrypted session token; so does the sandbox, and it therefore keeps no table of sessions:
 * a million-hop ping-pong issues a million sessions and the sandbox's memory does not notice.
 *
 * - The session token is the claims and the access key id, sealed with AES-256-GCM under a key
 *   derived from the sandbox's master key (persisted by the state layer, so tokens survive a
 *   restart of the sandbox).
 * - The secret access key is derived from the access key id with HMAC-SHA256 under a second
 *   derived key, so the auth layer can recompute it for any key id it is shown.
 *
 * Expiry is not checked here: the auth layer compares `expiresAt` with the sandbox clock.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { SessionClaims } from "./contracts";
import { InvalidClientTokenId } from "./errors";

export interface SessionCredentials {
  /** `ASIA` + 16 base32 letters: 20 characters, as STS session key ids. */
  accessKeyId: string;
  /** 40 characters of base64, as AWS secret access keys. */
  secretAccessKey: string;
  sessionToken: string;
}

/** Fills a buffer of `size` random bytes. Tests may inject a predictable one. */
export type RandomBytes = (size: number) => Buffer;

/** AWS's own text for a session token that does not open. */
export const INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";

/** First byte of every token: lets a future format be told apart from this one. */
const TOKEN_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** 30 bytes of base64 are exactly 40 characters, the length of an AWS secret access key. */
const SECRET_BYTES = 30;

interface DerivedKeys {
  seal: Buffer;
  secret: Buffer;
}

// One entry per master key object; a sandbox has one master key, so this stays tiny, and the
// WeakMap lets a discarded key (and its derived keys) be collected.
const derivedKeys = new WeakMap<Buffer, DerivedKeys>();

function keysFor(masterKey: Buffer): DerivedKeys {
  let keys = derivedKeys.get(masterKey);
  if (!keys) {
    if (masterKey.length < 32) {
      throw new RangeError(`masterKey must be at least 32 bytes, got ${masterKey.length}`);
    }
    // Separate keys for separate jobs, so the token cipher and the secret derivation never
    // share key material.
    const derive = (info: string) =>
      Buffer.from(hkdfSync("sha256", masterKey, "rolechain-sandbox", info, 32));
    keys = { seal: derive("session-token seal v1"), secret: derive("session secret v1") };
    derivedKeys.set(masterKey, keys);
  }
  return keys;
}

/** 80 random bits as 16 base32 letters: the part of a key id after `ASIA`. */
function newSessionKeyId(random: RandomBytes): string {
  const bytes = random(10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `ASIA${out}`;
}

/** The secret access key of a session key id: the same for the same master key, always. */
export function deriveSessionSecret(masterKey: Buffer, accessKeyId: string): string {
  const mac = createHmac("sha256", keysFor(masterKey).secret).update(accessKeyId).digest();
  return mac.subarray(0, SECRET_BYTES).toString("base64");
}

/**
 * Issues a session's credentials. Nothing is stored: everything the sandbox will need to
 * recognise the session later travels inside `sessionToken`.
 *
 * @example
 * const creds = issueSessionCredentials(masterKey, claims);
 * openSessionToken(masterKey, creds.accessKeyId, creds.sessionToken); // -> claims
 */
export function issueSessionCredentials(
  masterKey: Buffer,
  claims: SessionClaims,
  random: RandomBytes = randomBytes,
): SessionCredentials {
  const keys = keysFor(masterKey);
  const accessKeyId = newSessionKeyId(random);
  const iv = random(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keys.seal, iv);
  // The key id is sealed with the claims, so a token lifted onto another key id does not open.
  const plaintext = Buffer.from(JSON.stringify({ k: accessKeyId, c: claims }), "utf8");
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const token = Buffer.concat([Buffer.of(TOKEN_VERSION), iv, cipher.getAuthTag(), body]);
  return {
    accessKeyId,
    secretAccessKey: deriveSessionSecret(masterKey, accessKeyId),
    sessionToken: token.toString("base64"),
  };
}

function isClaims(value: unknown): value is SessionClaims {
  if (typeof value !== "object" || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.roleArn === "string" &&
    typeof claims.sessionName === "string" &&
    typeof claims.expiresAt === "number" &&
    typeof claims.tags === "object" &&
    Array.isArray(claims.transitiveTagKeys)
  );
}

/**
 * Opens a session token presented with `accessKeyId`. Throws `InvalidClientTokenId` when the
 * token is not one this master key sealed, was altered, or belongs to another key id.
 * Does not check expiry (the caller compares `expiresAt` with the sandbox clock).
 */
export function openSessionToken(
  masterKey: Buffer,
  accessKeyId: string,
  sessionToken: string,
): SessionClaims {
  const token = Buffer.from(sessionToken, "base64");
  // Node's base64 decoder skips characters outside the alphabet, so "!!" + a token would open
  // as the token itself; only the exact text the sandbox issued is that token.
  if (
    token.length <= HEADER_BYTES ||
    token[0] !== TOKEN_VERSION ||
    token.toString("base64") !== sessionToken
  ) {
    throw new InvalidClientTokenId(INVALID_TOKEN_MESSAGE);
  }
  let sealed: { k?: unknown; c?: unknown };
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      keysFor(masterKey).seal,
      token.subarray(1, 1 + IV_BYTES),
    );
    decipher.setAuthTag(token.subarray(1 + IV_BYTES, HEADER_BYTES));
    const plain = Buffer.concat([decipher.update(token.subarray(HEADER_BYTES)), decipher.final()]);
    sealed = JSON.parse(plain.toString("utf8"));
  } catch (cause) {
    // A failed tag check is the expected way a forged or damaged token ends; the cause is
    // kept for the server log, the caller sees only AWS's answer.
    throw Object.assign(new InvalidClientTokenId(INVALID_TOKEN_MESSAGE), { cause });
  }
  if (sealed.k !== accessKeyId || !isClaims(sealed.c)) {
    throw new InvalidClientTokenId(INVALID_TOKEN_MESSAGE);
  }
  return sealed.c;
}
