/**
 * AWS config/credentials files read as the aws CLI reads them, the profile graph, and profile
 * chains resolved into plans for the chain engine. Pure: no AWS call, no environment, no file
 * access; callers pass the files' text.
 */
export { buildProfileGraph } from "./build-profile-graph";
export {
  type GenerateProfileSnippetOptions,
  generateProfileSnippet,
  ProfileSnippetError,
  type ProfileSnippetField,
} from "./generate-profile-snippet";
export { parseAwsFiles } from "./parse-aws-files";
export { MAX_AWS_FILE_BYTES } from "./parse-ini";
export { maskAccessKeyId } from "./profile-rules";
export { type ResolveProfileChainOptions, resolveProfileChain } from "./resolve-profile-chain";
export type * from "./types";
