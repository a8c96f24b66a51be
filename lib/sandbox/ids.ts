/**
 * Identifiers shaped as AWS shapes them. They come from the operating system's random source,
 * not from the injected `random` (that one drives the knobs, and tests may make it predictable;
 * secrets and ids must stay unguessable either way).
 */
import { randomBytes, randomUUID } from "node:crypto";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** AWS access key ids use base32 letters after the prefix. */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomString(alphabet: string, length: number): string {
  // 256 is a multiple of 32 and 64 but not of 36: reject bytes past the last full cycle so
  // every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `AROA` + 17 upper-case letters and digits: 21 characters, as IAM role ids. */
export function newRoleId(): string {
  return `AROA${randomString(UPPER_ALNUM, 17)}`;
}

/** `AIDA` + 17 upper-case letters and digits, as IAM user ids. */
export function newUserId(): string {
  return `AIDA${randomString(UPPER_ALNUM, 17)}`;
}

/** A long-term user key: `AKIA` + 16, 20 characters in all. */
export function newUserAccessKeyId(): string {
  return `AKIA${randomString(BASE32, 16)}`;
}

/** 40 characters, as AWS secret access keys. */
export function newSecretAccessKey(): string {
  return randomString(SECRET_ALPHABET, 40);
}

export function newRequestId(): string {
  return randomUUID();
}

/** The key the STS layer seals session tokens with; created once per data dir. */
export function newMasterKey(): Buffer {
  return randomBytes(32);
}
