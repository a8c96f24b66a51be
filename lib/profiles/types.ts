/**
 * Shapes of lib/profiles: parsed AWS config/credentials files, the profile graph and the
 * resolution plan the chain engine executes. Only `ProfileChainPlan` carries secrets (the base
 * profile's static keys, for the engine on the server); nothing else here ever does.
 */

export type AwsFileKind = "config" | "credentials";

/** The two files as text, the way a person pastes them. Either may be missing. */
export interface AwsFileTexts {
  config?: string;
  credentials?: string;
}

export type AwsFileErrorCode =
  | "FileTooLarge"
  | "BinaryContent"
  | "MissingSectionHeader"
  | "UnclosedSectionHeader"
  | "MissingDelimiter"
  | "EmptyKey"
  | "InvalidNestedSetting";

/** A file the aws CLI would refuse to load. `line` counts from 1. */
export interface AwsFileError {
  code: AwsFileErrorCode;
  message: string;
  file: AwsFileKind;
  line: number;
}

export type AwsFileWarningCode =
  | "DuplicateSection"
  | "DuplicateKey"
  | "ProfileRedefined"
  | "IgnoredSection"
  | "PrefixInCredentialsFile"
  | "InlineComment"
  | "DefaultSectionInherited"
  | "ByteOrderMark";

/** Something the files do that a person may not expect; loading goes on. */
export interface AwsFileWarning {
  code: AwsFileWarningCode;
  message: string;
  file: AwsFileKind;
  line: number;
  profile?: string;
}

/** Where a setting's winning value was written. */
export interface SettingOrigin {
  file: AwsFileKind;
  line: number;
}

/** One profile after both files are merged (credentials-file values win, key by key). */
export interface AwsProfile {
  name: string;
  /** Keys lowercased, as the aws CLI reads them. Nested blocks (`s3 =`) are not here. */
  settings: ReadonlyMap<string, string>;
  origins: ReadonlyMap<string, SettingOrigin>;
  /** Indented sub-sections such as `s3 =`; kept for display, never used for resolution. */
  nested: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The files that define this profile, config first. */
  files: AwsFileKind[];
}

export interface ParsedAwsFiles {
  kind: "parsed";
  /** In file order: config profiles first, then profiles only the credentials file defines. */
  profiles: ReadonlyMap<string, AwsProfile>;
  ssoSessions: ReadonlyMap<string, ReadonlyMap<string, string>>;
  warnings: AwsFileWarning[];
}

export type ParseAwsFilesResult =
  | { ok: true; files: ParsedAwsFiles }
  | {
      ok: false;
      /** The first error, by file (config first) and line. */
      error: AwsFileError;
      /** Every error found, capped at `MAX_REPORTED_ERRORS` a file. */
      errors: AwsFileError[];
      warnings: AwsFileWarning[];
    };

/** What resolution and the graph accept: the texts (parsed on the way) or parsed files. */
export type AwsFilesInput = AwsFileTexts | ParsedAwsFiles;

export type ProfileErrorCode =
  | "ParseError"
  | "ProfileNotFound"
  | "ProfileLoop"
  | "SourceProfileNotFound"
  | "ConflictingCredentialSources"
  | "MissingCredentialSource"
  | "NoCredentials"
  | "PartialCredentials"
  | "UnsupportedCredentialSource"
  | "InvalidCredentialSource"
  | "UnsupportedProfileType"
  | "SsoLoginRequired"
  | "MfaNotSupported"
  | "InvalidSetting";

export interface ProfileError {
  code: ProfileErrorCode;
  message: string;
  /** The profile the error is about (not always the one asked for). */
  profile: string;
  /** The settings involved, e.g. `["source_profile", "credential_source"]`. */
  keys?: string[];
  /** For `ProfileLoop`: the loop in order, first name repeated at the end. */
  loop?: string[];
  /** What the person can do about it. */
  hint?: string;
  /** For `ParseError`: where. */
  file?: AwsFileKind;
  line?: number;
}

/** One AssumeRole the engine makes, with the settings of the profile that names the role. */
export interface ProfileHop {
  profile: string;
  roleArn: string;
  roleSessionName?: string;
  durationSeconds?: number;
  externalId?: string;
  /** The profile's `region`, else `[default]`'s, else undefined (the target's region). */
  region?: string;
  /** Not an aws CLI setting; left for the engine to fill from run options. */
  sourceIdentity?: string;
}

export type ProfileChainBase =
  | {
      kind: "static";
      profile: string;
      accessKeyId: string;
      /** Secret: for the engine only; never logged, stored, sent to a browser or exported. */
      secretAccessKey: string;
      /** Secret, like `secretAccessKey`. */
      sessionToken?: string;
      region?: string;
    }
  | { kind: "environment"; profile: string; region?: string };

export interface ProfileChainPlan {
  /** The profile asked for. */
  profile: string;
  base: ProfileChainBase;
  /** In execution order: the first is assumed with the base credentials. May be empty. */
  hops: ProfileHop[];
}

export type ProfileChainResult =
  | { ok: true; plan: ProfileChainPlan }
  | { ok: false; error: ProfileError };

export type ProfileKind = "static" | "role" | "sso" | "process" | "web-identity" | "empty";

/** A profile as the graph shows it. No secret: the key id is masked, the rest are flags. */
export interface ProfileNode {
  /** The profile name. */
  id: string;
  kind: ProfileKind;
  files: AwsFileKind[];
  staticKeys?: {
    /** Masked (`AKIA…0001`), or "" when the profile has a secret but no key id. */
    accessKeyId: string;
    hasSecretAccessKey: boolean;
    hasSessionToken: boolean;
  };
  roleArn?: string;
  sourceProfile?: string;
  credentialSource?: string;
  region?: string;
  roleSessionName?: string;
  durationSeconds?: string;
  externalId?: string;
  mfaSerial?: string;
  sso?: { session?: string; startUrl?: string; accountId?: string; roleName?: string };
  /** True when the node is part of a loop in `ProfileGraph.loops`. */
  inLoop: boolean;
}

/** `source_profile`: credentials flow from `source` (the named profile) to `target`. */
export interface ProfileEdge {
  /** `${source}->${target}` */
  id: string;
  source: string;
  target: string;
  inLoop: boolean;
}

export interface ProfileProblem {
  code: ProfileErrorCode;
  profile: string;
  message: string;
  keys?: string[];
  loop?: string[];
  hint?: string;
}

export interface ProfileGraph {
  nodes: ProfileNode[];
  edges: ProfileEdge[];
  problems: ProfileProblem[];
  /** Every loop once, each in order with its first name repeated at the end. */
  loops: string[][];
  warnings: AwsFileWarning[];
  /** Parse errors; when present the graph is empty. */
  errors: AwsFileError[];
}
