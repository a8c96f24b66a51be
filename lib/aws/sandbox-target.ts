import "server-only";
import type { Sandbox, SandboxOptions } from "@/lib/sandbox";
import type { LogEvent } from "./log-event";
import { connectTarget, type Target } from "./target";

export interface SandboxTargetOptions extends SandboxOptions {
  /** Region the clients sign for; the sandbox answers every region. */
  region?: string;
}

/**
 * Starts the embedded sandbox and connects to it as its base user. The app's `getTarget` uses
 * it for `ROLECHAIN_TARGET=sandbox`; tests use it with seeded users, quotas and knobs.
 */
export async function startSandboxTarget(
  options: SandboxTargetOptions,
  log?: LogEvent,
): Promise<{ target: Target; sandbox: Sandbox }> {
  // Loaded only here: the `endpoint` and `aws` targets never load the emulator.
  const { startSandbox } = await import("@/lib/sandbox");
  const { region = "us-east-1", ...sandboxOptions } = options;
  const sandbox = await startSandbox(sandboxOptions);
  try {
    const { accessKeyId, secretAccessKey } = sandbox.baseUser;
    const target = await connectTarget(
      {
        kind: "sandbox",
        region,
        endpoints: { sts: sandbox.url, iam: sandbox.url },
        baseCredentials: async () => ({ accessKeyId, secretAccessKey }),
        credentialsSource: `sandbox base user ${sandbox.baseUser.userName} (${options.dataDir})`,
      },
      log,
    );
    return { target, sandbox };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
