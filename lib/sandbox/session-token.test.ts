import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SessionClaims } from "./contracts";
import { SandboxError } from "./errors";
import { deriveSessionSecret, issueSessionCredentials, openSessionToken } from "./session-token";

const masterKey = randomBytes(32);

const claims: SessionClaims = {
  accountId: "123456789012",
  roleArn: "arn:aws:iam::123456789012:role/rolechain/rolechain-a",
  roleName: "rolechain-a",
  roleId: "AROAABCDEFGHIJKLMNOPQ",
  sessionName: "hop-1",
  issuedAt: 1_800_000_000_000,
  expiresAt: 1_800_003_600_000,
  chained: true,
  tags: { Project: "blue", "team:name": "ünïcode" },
  transitiveTagKeys: ["Project"],
  sourceIdentity: "alice",
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof SandboxError ? error.code : "not-a-sandbox-error";
  }
  return undefined;
}

describe("issueSessionCredentials", () => {
  it("issues ASIA key ids of 20 base32 characters and 40-character secrets", () => {
    const creds = issueSessionCredentials(masterKey, claims);
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(creds.sessionToken).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it("derives the secret from the key id, so nothing about the session is stored", () => {
    const creds = issueSessionCredentials(masterKey, claims);
    expect(deriveSessionSecret(masterKey, creds.accessKeyId)).toBe(creds.secretAccessKey);
    expect(deriveSessionSecret(randomBytes(32), creds.accessKeyId)).not.toBe(creds.secretAccessKey);
  });

  it("gives every session its own key id and token", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(issueSessionCredentials(masterKey, claims).accessKeyId);
    expect(seen.size).toBe(1000);
  });

  it("uses the injected random source for the key id", () => {
    const zeros = (size: number) => Buffer.alloc(size);
    expect(issueSessionCredentials(masterKey, claims, zeros).accessKeyId).toBe(
      "ASIAAAAAAAAAAAAAAAAA",
    );
  });

  it("keeps the token free of the claims in clear text", () => {
    const { sessionToken } = issueSessionCredentials(masterKey, claims);
    const raw = Buffer.from(sessionToken, "base64").toString("latin1");
    expect(raw).not.toContain("rolechain-a");
    expect(raw).not.toContain("alice");
  });

  it("refuses a master key shorter than 32 bytes", () => {
    expect(() => issueSessionCredentials(Buffer.alloc(16), claims)).toThrow(/32 bytes/);
  });
});

describe("openSessionToken", () => {
  it("returns the claims it was issued with", () => {
    const creds = issueSessionCredentials(masterKey, claims);
    expect(openSessionToken(masterKey, creds.accessKeyId, creds.sessionToken)).toEqual(claims);
  });

  it("opens tokens issued before a restart, given the same persisted master key", () => {
    const creds = issueSessionCredentials(masterKey, claims);
    const reloaded = Buffer.from(masterKey.toString("hex"), "hex");
    expect(openSessionToken(reloaded, creds.accessKeyId, creds.sessionToken)).toEqual(claims);
  });

  it.each([
    ["another master key", () => randomBytes(32), (t: string) => t, (k: string) => k],
    ["a flipped byte", () => masterKey, flipByte, (k: string) => k],
    ["a truncated token", () => masterKey, (t: string) => t.slice(0, 40), (k: string) => k],
    ["an empty token", () => masterKey, () => "", (k: string) => k],
    ["text that is not base64", () => masterKey, () => "not a token!", (k: string) => k],
    ["another session's key id", () => masterKey, (t: string) => t, () => "ASIAAAAAAAAAAAAAAAAA"],
  ])("refuses %s with InvalidClientTokenId", (_name, key, token, keyId) => {
    const creds = issueSessionCredentials(masterKey, claims);
    const code = codeOf(() =>
      openSessionToken(key(), keyId(creds.accessKeyId), token(creds.sessionToken)),
    );
    expect(code).toBe("InvalidClientTokenId");
  });

  it("answers with AWS's message", () => {
    expect(() => openSessionToken(masterKey, "ASIAAAAAAAAAAAAAAAAA", "AAAA")).toThrow(
      "The security token included in the request is invalid.",
    );
  });
});

function flipByte(token: string): string {
  const bytes = Buffer.from(token, "base64");
  const at = bytes.length - 5;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64");
}
