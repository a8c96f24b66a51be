/**
 * Helpers for tests that drive a sandbox over HTTP with the real SDK clients. Every client
 * gets an explicit endpoint, region and credentials, so nothing falls back to a default chain
 * or to a real AWS host; retries are off so a test sees each answer as the sandbox gave it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { type Sandbox, type SandboxOptions, startSandbox } from "./index";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface TestSandbox {
  sandbox: Sandbox;
  dataDir: string;
  /** Clients signed with the base user's keys. */
  iam: IAMClient;
  sts: STSClient;
  clients(credentials: Credentials, region?: string): { iam: IAMClient; sts: STSClient };
  /** Closes the sandbox; `keepData` leaves the data dir for a restart test. */
  close(keepData?: boolean): Promise<void>;
}

export function makeTempDir(prefix = "rolechain-sandbox-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestSandbox(
  options: Partial<SandboxOptions> = {},
): Promise<TestSandbox> {
  const dataDir = options.dataDir ?? makeTempDir();
  const sandbox = await startSandbox({ ...options, dataDir });
  const clients = (credentials: Credentials, region = "us-east-1") => {
    // A copy: the SDK writes bookkeeping fields into the credentials object it is given.
    const own = {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    };
    const config = { endpoint: sandbox.url, region, credentials: own, maxAttempts: 1 };
    return { iam: new IAMClient(config), sts: new STSClient(config) };
  };
  const base = clients(sandbox.baseUser);
  return {
    sandbox,
    dataDir,
    iam: base.iam,
    sts: base.sts,
    clients,
    async close(keepData = false) {
      await sandbox.close();
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const trustAccount = (accountId: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "sts:AssumeRole",
      },
    ],
  });

export const allowPolicy = (actions: string | string[], resource = "*") =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: actions, Resource: resource }],
  });

/** Runs `fn`, expecting it to reject with an SDK service error; returns its fields. */
export async function sdkError(fn: () => Promise<unknown>): Promise<{
  name: string;
  code: string;
  message: string;
  status: number | undefined;
}> {
  try {
    await fn();
  } catch (error) {
    const e = error as {
      name: string;
      Code?: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return {
      name: e.name,
      code: e.Code ?? e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
    };
  }
  throw new Error("expected the call to fail, and it succeeded");
}

export interface RawRequest {
  /** The form body (POST) or, with method GET, the query string. */
  form: string;
  method?: "GET" | "POST";
  service?: "iam" | "sts";
  region?: string;
  credentials?: Credentials;
  /** Signs as of this time (epoch ms); defaults to now. */
  signedAt?: number;
  /** Replaces the body after signing, to send something other than what was signed. */
  tamperedBody?: string;
  /** Skips signing entirely. */
  unsigned?: boolean;
}

/** Sends a hand-made Query request, signed by the SDK's signer unless told otherwise. */
export async function rawRequest(
  sandbox: Sandbox,
  request: RawRequest,
): Promise<{ status: number; body: string; headers: Headers }> {
  const { SignatureV4 } = await import("@smithy/signature-v4");
  const { Sha256 } = await import("@aws-crypto/sha256-js");
  const { HttpRequest } = await import("@smithy/protocol-http");
  const url = new URL(sandbox.url);
  const method = request.method ?? "POST";
  const query = method === "GET" ? Object.fromEntries(new URLSearchParams(request.form)) : {};
  let headers: Record<string, string> = {
    host: url.host,
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
  };
  if (!request.unsigned) {
    const signer = new SignatureV4({
      credentials: request.credentials ?? sandbox.baseUser,
      region: request.region ?? "us-east-1",
      service: request.service ?? "iam",
      sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method,
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query,
        headers,
        ...(method === "POST" ? { body: request.form } : {}),
      }),
      { signingDate: new Date(request.signedAt ?? Date.now()) },
    );
    headers = signed.headers;
  }
  const target = method === "GET" ? `${sandbox.url}/?${request.form}` : `${sandbox.url}/`;
  const { host: _host, ...sendable } = headers;
  const response = await fetch(target, {
    method,
    headers: sendable,
    ...(method === "POST" ? { body: request.tamperedBody ?? request.form } : {}),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}
