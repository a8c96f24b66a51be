/**
 * Turns the config and credentials files into one map of profiles, with the aws CLI's rules:
 * in the config file a profile is `[profile name]` (the name split like a shell word) or
 * `[default]`; `[sso-session name]` and `[services name]` are not profiles; any other section is
 * ignored. In the credentials file every section is a profile, named exactly as written. A
 * profile in both files gets the credentials file's value for every key both set.
 */
import { type IniDocument, type IniSection, parseIni } from "./parse-ini";
import { splitSectionName } from "./split-section-name";
import type {
  AwsFileError,
  AwsFileKind,
  AwsFilesInput,
  AwsFileTexts,
  AwsFileWarning,
  AwsProfile,
  ParseAwsFilesResult,
  ParsedAwsFiles,
  SettingOrigin,
} from "./types";

/**
 * Warnings reported for both files together; the rest are counted in the last message. A
 * pasted file can hold hundreds of thousands of repeated sections, each worth a warning.
 */
export const MAX_REPORTED_WARNINGS = 100;

/** Config-file sections that are neither profiles nor mistakes. */
const KNOWN_CONFIG_SECTIONS = ["plugins", "preview", "cli"];

interface ProfileDraft {
  name: string;
  settings: Map<string, string>;
  origins: Map<string, SettingOrigin>;
  nested: Map<string, ReadonlyMap<string, string>>;
  files: AwsFileKind[];
}

/**
 * Parses both files. A missing or empty file is simply absent, as when the CLI finds no file.
 *
 * @example
 * const result = parseAwsFiles({ config: "[profile dev]\nrole_arn = arn:aws:iam::1:role/x\n" });
 * if (result.ok) result.files.profiles.get("dev")?.settings.get("role_arn");
 */
export function parseAwsFiles(texts: AwsFileTexts): ParseAwsFilesResult {
  const warnings: AwsFileWarning[] = [];
  const errors: AwsFileError[] = [];
  const documents: IniDocument[] = [];
  for (const file of ["config", "credentials"] as const) {
    const text = texts[file];
    if (text === undefined || text === "") continue;
    const parsed = parseIni(text, file);
    // One at a time: spreading a few hundred thousand warnings into push() overflows the stack.
    for (const warning of parsed.warnings) warnings.push(warning);
    if (parsed.ok) documents.push(parsed.document);
    else for (const error of parsed.errors) errors.push(error);
  }
  const firstError = errors[0];
  if (firstError) return { ok: false, error: firstError, errors, warnings: capped(warnings) };

  const profiles = new Map<string, ProfileDraft>();
  const ssoSessions = new Map<string, ReadonlyMap<string, string>>();
  for (const document of documents) {
    if (document.file === "config") readConfig(document, profiles, ssoSessions, warnings);
    else readCredentials(document, profiles, warnings);
  }
  return {
    ok: true,
    files: {
      kind: "parsed",
      profiles: profiles as Map<string, AwsProfile>,
      ssoSessions,
      warnings: capped(warnings),
    },
  };
}

/** The first `MAX_REPORTED_WARNINGS`, the last of them saying how many more there were. */
function capped(warnings: AwsFileWarning[]): AwsFileWarning[] {
  if (warnings.length <= MAX_REPORTED_WARNINGS) return warnings;
  const shown = warnings.slice(0, MAX_REPORTED_WARNINGS);
  const last = shown[shown.length - 1] as AwsFileWarning;
  const hidden = warnings.length - shown.length;
  shown[shown.length - 1] = {
    ...last,
    message: `${last.message} (${hidden} more warnings not shown)`,
  };
  return shown;
}

/** Parsed files pass through; texts get parsed. */
export function isParsedAwsFiles(input: AwsFilesInput): input is ParsedAwsFiles {
  return "kind" in input && input.kind === "parsed";
}

function readConfig(
  document: IniDocument,
  profiles: Map<string, ProfileDraft>,
  ssoSessions: Map<string, ReadonlyMap<string, string>>,
  warnings: AwsFileWarning[],
): void {
  for (const section of document.sections) {
    const { header } = section;
    if (header.startsWith("profile")) {
      const words = splitSectionName(header);
      const name = words?.length === 2 ? words[1] : undefined;
      if (name === undefined) {
        ignore(section, warnings, "the aws CLI reads only [profile <one name>] as a profile");
        continue;
      }
      defineConfigProfile(name, section, profiles, warnings);
    } else if (header.startsWith("sso-session")) {
      const words = splitSectionName(header);
      const name = words?.length === 2 ? words[1] : undefined;
      if (name === undefined) {
        ignore(section, warnings, "an SSO session section is [sso-session <one name>]");
        continue;
      }
      ssoSessions.set(name, flatten(section, "config").settings);
    } else if (header === "default") {
      defineConfigProfile("default", section, profiles, warnings);
    } else if (!header.startsWith("services") && !KNOWN_CONFIG_SECTIONS.includes(header)) {
      ignore(
        section,
        warnings,
        `in the config file a profile is written [profile ${header}]; [${header}] is ignored`,
      );
    }
  }
}

function defineConfigProfile(
  name: string,
  section: IniSection,
  profiles: Map<string, ProfileDraft>,
  warnings: AwsFileWarning[],
): void {
  if (profiles.has(name)) {
    warnings.push({
      code: "ProfileRedefined",
      file: "config",
      line: section.line,
      profile: name,
      message:
        `[${section.header}] on line ${section.line} defines profile "${name}" again; like the ` +
        "aws CLI, rolechain keeps only this later section.",
    });
  }
  profiles.set(name, { name, ...flatten(section, "config"), files: ["config"] });
}

function readCredentials(
  document: IniDocument,
  profiles: Map<string, ProfileDraft>,
  warnings: AwsFileWarning[],
): void {
  for (const section of document.sections) {
    const name = section.header;
    if (name.startsWith("profile ")) {
      warnings.push({
        code: "PrefixInCredentialsFile",
        file: "credentials",
        line: section.line,
        profile: name,
        message:
          `The credentials file takes no "profile " prefix: [${name}] defines a profile named ` +
          `"${name}". Write [${name.slice("profile ".length).trim()}] instead.`,
      });
    }
    const flat = flatten(section, "credentials");
    const existing = profiles.get(name);
    if (!existing) {
      profiles.set(name, { name, ...flat, files: ["credentials"] });
      continue;
    }
    for (const [key, value] of flat.settings) {
      existing.settings.set(key, value);
      existing.nested.delete(key);
    }
    for (const [key, value] of flat.nested) {
      existing.nested.set(key, value);
      existing.settings.delete(key);
    }
    for (const [key, origin] of flat.origins) existing.origins.set(key, origin);
    if (!existing.files.includes("credentials")) existing.files.push("credentials");
  }
}

function flatten(section: IniSection, file: AwsFileKind): Omit<ProfileDraft, "name" | "files"> {
  const settings = new Map<string, string>();
  const origins = new Map<string, SettingOrigin>();
  const nested = new Map<string, ReadonlyMap<string, string>>();
  for (const [key, entry] of section.settings) {
    if (entry.nested) nested.set(key, entry.nested);
    else settings.set(key, entry.value);
    origins.set(key, { file, line: entry.line });
  }
  return { settings, origins, nested };
}

function ignore(section: IniSection, warnings: AwsFileWarning[], why: string): void {
  warnings.push({
    code: "IgnoredSection",
    file: "config",
    line: section.line,
    message: `Section [${section.header}] on line ${section.line} is not a profile: ${why}.`,
  });
}
