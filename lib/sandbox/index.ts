/**
 * rolechain's embedded IAM + STS sandbox: a real HTTP server on loopback speaking the AWS
 * Query protocol, so the AWS SDKs and the aws CLI work against it unchanged.
 *
 * @example
 * const sandbox = await startSandbox({ dataDir: ".rolechain/sandbox" });
 * const iam = new IAMClient({ endpoint: sandbox.url, region: "us-east-1", credentials: {
 *   accessKeyId: sandbox.baseUser.accessKeyId,
 *   secretAccessKey: sandbox.baseUser.secretAccessKey,
 * } });
 */
import { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox";
import { assumeRole, getCallerIdentity } from "./sts";

export type { SandboxKnobs } from "./contracts";
export { DEFAULT_KNOBS, type Sandbox, type SandboxOptions } from "./sandbox";
export type { SandboxStats } from "./server";

/** Starts a sandbox on `options.host`:`options.port` (127.0.0.1, any free port by default). */
export function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  return createSandbox(options, { AssumeRole: assumeRole, GetCallerIdentity: getCallerIdentity });
}
