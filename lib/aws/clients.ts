import "server-only";
import http from "node:http";
import https from "node:https";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { Target } from "./target";

// One pool of kept-alive sockets for every client: a million hops must not mean a million
// TCP handshakes, and clients built per region must not each hold their own pool.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
const requestHandler = {
  httpAgent,
  httpsAgent,
  connectionTimeout: 5_000,
  requestTimeout: 30_000,
};

type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;
type ClientTarget = Pick<Target, "region" | "endpoints">;

/**
 * An STS client aimed at the target's endpoint (case C06: every hop goes there, whatever the
 * hop's region). `maxAttempts: 1` because the engine retries visibly, hop by hop.
 */
export function createStsClient(
  target: ClientTarget,
  credentials: Credentials,
  region?: string,
): STSClient {
  return new STSClient({
    region: region ?? target.region,
    ...(target.endpoints.sts ? { endpoint: target.endpoints.sts } : {}),
    credentials,
    maxAttempts: 1,
    requestHandler,
  });
}

/** An IAM client with the target's base credentials, aimed at the target's IAM endpoint. */
export function createIamClient(target: Pick<Target, "region" | "endpoints" | "baseCredentials">) {
  return new IAMClient({
    region: target.region,
    ...(target.endpoints.iam ? { endpoint: target.endpoints.iam } : {}),
    credentials: target.baseCredentials,
    maxAttempts: 1,
    requestHandler,
  });
}
