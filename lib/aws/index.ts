import "server-only";

export { createIamClient, createStsClient } from "./clients";
export { errorCodeOf, errorMessageOf, httpStatusOf } from "./error-code";
export { maskAccessKeyId } from "./mask-access-key-id";
export { type SandboxTargetOptions, startSandboxTarget } from "./sandbox-target";
export {
  type ConnectTargetInput,
  connectTarget,
  describeTarget,
  getTarget,
  type Target,
  type TargetDescription,
} from "./target";
export { resolveTargetConfig, type TargetConfig, TargetConfigError } from "./target-config";
