import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type SandboxTargetOptions, startSandboxTarget, type Target } from "@/lib/aws";
import type { Sandbox } from "@/lib/sandbox";

export interface SandboxTarget {
  target: Target;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/**
 * A sandbox on a fresh temp dir and a Target connected to it, quiet (no log lines). Every
 * client built from the target has the sandbox's endpoint, a region and explicit credentials.
 */
export async function startQuietSandboxTarget(
  options: Partial<SandboxTargetOptions> = {},
): Promise<SandboxTarget> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "rolechain-chain-"));
  const { target, sandbox } = await startSandboxTarget(
    { log: () => {}, ...options, dataDir },
    () => {},
  );
  return {
    target,
    sandbox,
    async close() {
      await sandbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
