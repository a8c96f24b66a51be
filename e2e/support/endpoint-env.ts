import path from "node:path";

/**
 * The dashboard's environment for `ROLECHAIN_TARGET=endpoint` at a sandbox we started, from
 * the `export` lines it printed. No stray ~/.aws files: only what the test hands it is used.
 */
export function endpointEnv(exports: Record<string, string>, dataDir: string) {
  return {
    ROLECHAIN_TARGET: "endpoint",
    AWS_ENDPOINT_URL: exports.AWS_ENDPOINT_URL ?? "",
    AWS_ACCESS_KEY_ID: exports.AWS_ACCESS_KEY_ID ?? "",
    AWS_SECRET_ACCESS_KEY: exports.AWS_SECRET_ACCESS_KEY ?? "",
    AWS_REGION: exports.AWS_REGION ?? "us-east-1",
    AWS_PROFILE: "",
    AWS_CONFIG_FILE: path.join(dataDir, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dataDir, "no-credentials"),
  };
}
