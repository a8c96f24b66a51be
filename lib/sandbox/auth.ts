/**
 * SigV4 verification. The signature is recomputed with the SDK's own signer
 * (`@smithy/signature-v4`) from the request's own credential scope (date, region, service)
 * and exactly the headers the client says it signed, then compared in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { resolveKey, type SessionCodec } from "./caller-keys";
import type { Caller } from "./contracts";
import {
  ExpiredToken,
  IncompleteSignature,
  MissingAuthenticationToken,
  RequestExpired,
  SignatureDoesNotMatch,
} from "./errors";
import type { SandboxState } from "./state";

export type { SessionCodec } from "./caller-keys";

/** How far a request's X-Amz-Date may be from the sandbox clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const MESSAGES = {
  expiredToken: "The security token included in the request is expired",
  mismatch:
    "The request signature we calculated does not match the signature you provided. Check " +
    "your AWS Secret Access Key and signing method. Consult the service documentation for " +
    "details.",
  missing: "Request is missing Authentication Token",
} as const;

export interface SignedRequest {
  method: string;
  /** The URL path without the query, e.g. `/`. */
  path: string;
  /** The raw query string without `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Authenticated {
  caller: Caller;
  /** From the credential scope: the region and service the client signed for. */
  region: string;
  service: string;
}

interface AuthorizationHeader {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads the service a request was signed for without verifying anything (for routing). */
export function signedService(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (typeof header !== "string") return undefined;
  return /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(header)?.[1];
}

function parseAuthorization(header: string): AuthorizationHeader {
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== "AWS4-HMAC-SHA256") {
    throw new IncompleteSignature(
      `Unsupported AWS 'algorithm': '${algorithm ?? ""}'; only AWS4-HMAC-SHA256 is supported.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of rest.join("").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((f) => !fields.has(f));
  if (missing.length > 0) {
    throw new IncompleteSignature(
      missing.map((f) => `Authorization header requires '${f}' parameter.`).join(" "),
    );
  }
  return {
    ...parseCredential(fields.get("Credential") ?? ""),
    signedHeaders: (fields.get("SignedHeaders") ?? "").split(";").filter(Boolean),
    signature: fields.get("Signature") ?? "",
  };
}

/** `AKIA…/20260102/us-east-1/sts/aws4_request` -> its parts. */
function parseCredential(credential: string) {
  const scope = credential.split("/");
  const [accessKeyId, date, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !date || !region || !service) {
    throw new IncompleteSignature(
      "Credential must have exactly 5 slash-delimited elements, e.g. " +
        "keyid/date/region/service/term.",
    );
  }
  if (terminator !== "aws4_request") {
    throw new SignatureDoesNotMatch(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  return { accessKeyId, date, region, service };
}

/** `20260102T030405Z` -> epoch ms, or undefined when not in ISO 8601 basic format. */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Percent-decodes a query string for canonicalization ('+' stays '+', as SigV4 expects). */
function parseSigningQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const pair of raw.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const decode = (t: string) => {
      try {
        return decodeURIComponent(t);
      } catch {
        // An undecodable escape cannot have come from a conforming signer; keeping it raw
        // makes the recomputed signature differ, which is the right answer.
        return t;
      }
    };
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decode(pair.slice(eq + 1));
    const prior = query[key];
    query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return query;
}

/** A header by its lowercase name; a name the client made up (`constructor`) is just absent. */
function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  // node's headers object has Object's prototype: a signed-header list naming `constructor` or
  // `__proto__` must not reach a function or an object there.
  if (!Object.hasOwn(headers, name)) return undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function recomputeSignature(
  request: SignedRequest,
  auth: AuthorizationHeader,
  secretAccessKey: string,
  signingDate: Date,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) throw new SignatureDoesNotMatch(MESSAGES.mismatch);
    headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    // Verification must not add headers the client did not sign.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: "http:",
      hostname: headers.host ?? "",
      path: request.path,
      query: parseSigningQuery(request.rawQuery),
      headers,
      body: request.body,
    }),
    {
      signingDate,
      signingRegion: auth.region,
      signingService: auth.service,
      signableHeaders: new Set(auth.signedHeaders),
    },
  );
  const authorization = String(signed.headers.authorization ?? "");
  return authorization.slice(authorization.indexOf("Signature=") + "Signature=".length);
}

function checkPayloadHash(request: SignedRequest): void {
  const claimed = headerValue(request.headers, "x-amz-content-sha256");
  if (claimed === undefined) return;
  const actual = createHash("sha256").update(request.body).digest("hex");
  // A signed but false payload hash would make the signature cover a body never sent.
  if (claimed !== actual) throw new SignatureDoesNotMatch(MESSAGES.mismatch);
}

function checkSkew(signedAt: number, clock: number): void {
  if (signedAt < clock - MAX_CLOCK_SKEW_MS) {
    throw new SignatureDoesNotMatch(
      `Signature expired: ${amzDate(signedAt)} is now earlier than ` +
        `${amzDate(clock - MAX_CLOCK_SKEW_MS)} (${amzDate(clock)} - 15 min.)`,
    );
  }
  if (signedAt > clock + MAX_CLOCK_SKEW_MS) {
    throw new SignatureDoesNotMatch(
      `Signature not yet current: ${amzDate(signedAt)} is still later than ` +
        `${amzDate(clock + MAX_CLOCK_SKEW_MS)} (${amzDate(clock)} + 15 min.)`,
    );
  }
}

/** The query parameters SigV4 query-string auth adds; the signer adds them back itself. */
const PRESIGN_PARAMS = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
];

/** Longest validity SigV4 allows a presigned request: 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * SigV4 query-string auth (a presigned URL, e.g. a presigned GetCallerIdentity): the same
 * recomputation through the SDK signer's `presign`, valid from X-Amz-Date for X-Amz-Expires.
 */
async function verifyPresigned(
  request: SignedRequest,
  query: Record<string, string | string[]>,
  state: SandboxState,
  codec: SessionCodec,
  clock: number,
): Promise<Authenticated> {
  const one = (name: string) => {
    const value = query[name];
    if (typeof value !== "string" || value === "") {
      throw new IncompleteSignature(`Presigned request requires the '${name}' query parameter.`);
    }
    return value;
  };
  if (one("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") {
    throw new IncompleteSignature("Unsupported X-Amz-Algorithm; only AWS4-HMAC-SHA256 is.");
  }
  const scope = parseCredential(one("X-Amz-Credential"));
  const signedAt = parseAmzDate(one("X-Amz-Date"));
  const expiresIn = Number(one("X-Amz-Expires"));
  if (signedAt === undefined) {
    throw new IncompleteSignature("X-Amz-Date must be in ISO 8601 basic format.");
  }
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
    throw new IncompleteSignature(`X-Amz-Expires must be 1 to ${MAX_PRESIGN_SECONDS} seconds.`);
  }
  const token =
    typeof query["X-Amz-Security-Token"] === "string" ? query["X-Amz-Security-Token"] : undefined;
  const key = resolveKey(scope.accessKeyId, token, state, codec);
  const signedHeaders = one("X-Amz-SignedHeaders").split(";").filter(Boolean);
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) throw new SignatureDoesNotMatch(MESSAGES.mismatch);
    headers[name] = value;
  }
  const rest = Object.fromEntries(
    Object.entries(query).filter(([name]) => !PRESIGN_PARAMS.includes(name)),
  );
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: scope.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(token === undefined ? {} : { sessionToken: token }),
    },
    region: scope.region,
    service: scope.service,
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    new HttpRequest({
      method: request.method,
      protocol: "http:",
      hostname: headers.host ?? "",
      path: request.path,
      query: rest,
      headers,
      ...(request.body.length > 0 ? { body: request.body } : {}),
    }),
    {
      signingDate: new Date(signedAt),
      expiresIn,
      signingRegion: scope.region,
      signingService: scope.service,
      signableHeaders: new Set(signedHeaders),
    },
  );
  if (!sameSignature(String(presigned.query?.["X-Amz-Signature"] ?? ""), one("X-Amz-Signature"))) {
    throw new SignatureDoesNotMatch(MESSAGES.mismatch);
  }
  if (signedAt > clock + MAX_CLOCK_SKEW_MS) checkSkew(signedAt, clock);
  if (signedAt + expiresIn * 1000 < clock) throw new RequestExpired("Request has expired.");
  if (key.expiresAt !== undefined && key.expiresAt <= clock) {
    throw new ExpiredToken(MESSAGES.expiredToken);
  }
  return { caller: key.toCaller(), region: scope.region, service: scope.service };
}

/**
 * Verifies a request's SigV4 Authorization header against the sandbox's keys and clock.
 * Throws AWS's error: `MissingAuthenticationToken`, `IncompleteSignature`,
 * `InvalidClientTokenId` (unknown key), `SignatureDoesNotMatch` (bad signature or clock skew
 * beyond 15 minutes), `ExpiredToken` (a role session past its expiry).
 */
export async function authenticate(
  request: SignedRequest,
  state: SandboxState,
  codec: SessionCodec,
  clock: number,
): Promise<Authenticated> {
  const header = headerValue(request.headers, "authorization");
  if (!header) {
    const query = parseSigningQuery(request.rawQuery);
    if (query["X-Amz-Algorithm"] !== undefined)
      return verifyPresigned(request, query, state, codec, clock);
    throw new MissingAuthenticationToken(MESSAGES.missing);
  }
  const auth = parseAuthorization(header);
  const dateHeader = headerValue(request.headers, "x-amz-date");
  const signedAt = dateHeader === undefined ? undefined : parseAmzDate(dateHeader);
  if (signedAt === undefined) {
    throw new IncompleteSignature(
      "Authorization header requires existence of a valid 'X-Amz-Date' header " +
        "in ISO 8601 basic format (YYYYMMDD'T'HHMMSS'Z').",
    );
  }
  const token = headerValue(request.headers, "x-amz-security-token");
  const key = resolveKey(auth.accessKeyId, token, state, codec);
  checkPayloadHash(request);
  const expected = await recomputeSignature(request, auth, key.secretAccessKey, new Date(signedAt));
  if (!sameSignature(expected, auth.signature)) {
    throw new SignatureDoesNotMatch(MESSAGES.mismatch);
  }
  checkSkew(signedAt, clock);
  if (key.expiresAt !== undefined && key.expiresAt <= clock) {
    throw new ExpiredToken(MESSAGES.expiredToken);
  }
  return { caller: key.toCaller(), region: auth.region, service: auth.service };
}
