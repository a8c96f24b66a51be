/**
 * Reads one INI file the way the aws CLI does (Python's RawConfigParser, then botocore's nested
 * blocks): `=` or `:` between key and value, keys lowercased, values trimmed, full-line `#` and
 * `;` comments, no inline comments, an indented line continues the value above it, a value that
 * starts on the next line is a nested block (`s3 =` then indented `key = value` lines), and a
 * `[DEFAULT]` section lends its keys to every other section.
 *
 * Where the CLI refuses duplicates (a section or a key twice in one file), this reader warns and
 * lets the later value win, as the AWS SDKs do. Everything is line-by-line with `indexOf`: no
 * regular expression runs over user text, so no input can make it backtrack.
 */
import type { AwsFileError, AwsFileKind, AwsFileWarning } from "./types";

/** Largest file read, in UTF-8 bytes. Real config files are a few kilobytes. */
export const MAX_AWS_FILE_BYTES = 1024 * 1024;
/** Errors reported per file; the rest are counted in the last message. */
export const MAX_REPORTED_ERRORS = 20;

export interface IniValue {
  value: string;
  line: number;
  /** Set when the value is a nested block: its keys as written (not lowercased), trimmed. */
  nested?: Map<string, string>;
}

export interface IniSection {
  header: string;
  line: number;
  settings: Map<string, IniValue>;
}

export interface IniDocument {
  file: AwsFileKind;
  /** In file order; a repeated header is merged into its first occurrence. */
  sections: IniSection[];
  /** `[DEFAULT]` keys, already lent to every section in `sections`. */
  defaults: Map<string, IniValue>;
}

export type ParseIniResult =
  | { ok: true; document: IniDocument; warnings: AwsFileWarning[] }
  | { ok: false; errors: AwsFileError[]; warnings: AwsFileWarning[] };

const DEFAULT_SECTION = "DEFAULT";

interface OpenValue {
  key: string;
  lines: string[];
  /** Line number of each entry in `lines`, for errors inside nested blocks. */
  lineNumbers: number[];
  indent: number;
  target: Map<string, IniValue>;
}

/**
 * Parses `text` as one AWS INI file.
 *
 * @example
 * parseIni("[profile dev]\nregion = eu-west-1\n", "config")
 * // { ok: true, document: { sections: [{ header: "profile dev", ... }] }, warnings: [] }
 */
export function parseIni(text: string, file: AwsFileKind): ParseIniResult {
  const warnings: AwsFileWarning[] = [];
  const tooLarge = checkSize(text, file);
  if (tooLarge) return { ok: false, errors: [tooLarge], warnings };

  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    body = body.slice(1);
    warnings.push({
      code: "ByteOrderMark",
      file,
      line: 1,
      message: `The ${file} file starts with a byte order mark; the aws CLI refuses such a file.`,
    });
  }

  const errors: AwsFileError[] = [];
  let errorCount = 0;
  const fail = (code: AwsFileError["code"], line: number, message: string) => {
    errorCount += 1;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ code, file, line, message });
  };

  const sections: IniSection[] = [];
  const byHeader = new Map<string, IniSection>();
  const defaults = new Map<string, IniValue>();
  const keyLines = new Map<string, number>();
  let current: { header: string; settings: Map<string, IniValue> } | undefined;
  let open: OpenValue | undefined;
  let openIndent = 0;

  const lines = body.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? "";
    const lineNo = index + 1;
    const binary = findBinary(raw);
    if (binary !== undefined) {
      fail("BinaryContent", lineNo, `Line ${lineNo} of the ${file} file holds ${binary}.`);
      continue;
    }
    const value = raw.trim();
    if (value.startsWith("#") || value.startsWith(";")) continue;
    if (value === "") {
      // Python keeps blank lines inside a multi-line value; trailing ones are trimmed at the end.
      if (open) open.lines.push("");
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    if (open && current && indent > openIndent) {
      open.lines.push(value);
      open.lineNumbers.push(lineNo);
      continue;
    }
    openIndent = indent;
    if (open) closeValue(open, file, fail);
    open = undefined;

    const header = readHeader(value);
    if (header !== undefined) {
      current = enterSection(header, lineNo);
      continue;
    }
    if (!current) {
      const code = value.startsWith("[") ? "UnclosedSectionHeader" : "MissingSectionHeader";
      fail(code, lineNo, describeOrphan(code, value, lineNo, file));
      continue;
    }
    const delimiter = findDelimiter(value);
    if (delimiter < 0) {
      const code = value.startsWith("[") ? "UnclosedSectionHeader" : "MissingDelimiter";
      fail(code, lineNo, describeOrphan(code, value, lineNo, file));
      continue;
    }
    const key = value.slice(0, delimiter).trimEnd().toLowerCase();
    if (key === "") {
      fail("EmptyKey", lineNo, `Line ${lineNo} of the ${file} file has no key before "=".`);
      continue;
    }
    const seenKey = `${current.header}\u0000${key}`;
    const firstLine = keyLines.get(seenKey);
    if (firstLine !== undefined) {
      warnings.push({
        code: "DuplicateKey",
        file,
        line: lineNo,
        message:
          `Key "${key}" appears again in [${current.header}] (first at line ${firstLine}). ` +
          "The aws CLI refuses such a file; rolechain uses the later value, as the SDKs do.",
      });
    } else {
      keyLines.set(seenKey, lineNo);
    }
    const rest = value.slice(delimiter + 1).trim();
    if (rest.includes(" #") || rest.includes(" ;")) {
      warnings.push({
        code: "InlineComment",
        file,
        line: lineNo,
        message:
          `The value of "${key}" on line ${lineNo} contains " #" or " ;". The aws CLI keeps ` +
          "it as part of the value (no inline comments), and so does rolechain.",
      });
    }
    open = { key, lines: [rest], lineNumbers: [lineNo], indent, target: current.settings };
  }
  if (open) closeValue(open, file, fail);

  if (errorCount > errors.length) {
    const last = errors[errors.length - 1];
    if (last) last.message += ` (${errorCount - errors.length} more errors not shown)`;
  }
  if (errors.length > 0) return { ok: false, errors, warnings };

  if (defaults.size > 0) lendDefaults(sections, defaults, file, warnings);
  return { ok: true, document: { file, sections, defaults }, warnings };

  function enterSection(header: string, lineNo: number) {
    if (header === DEFAULT_SECTION) return { header, settings: defaults };
    const existing = byHeader.get(header);
    if (existing) {
      warnings.push({
        code: "DuplicateSection",
        file,
        line: lineNo,
        message:
          `Section [${header}] appears again (first at line ${existing.line}). The aws CLI ` +
          "refuses such a file; rolechain merges the two and a later key wins, as the SDKs do.",
      });
      return existing;
    }
    const section: IniSection = { header, line: lineNo, settings: new Map() };
    sections.push(section);
    byHeader.set(header, section);
    return section;
  }
}

/** Python's `\[(?P<header>.+)\]`, matched at the start: up to the last `]`, at least one char. */
function readHeader(value: string): string | undefined {
  if (!value.startsWith("[")) return undefined;
  const close = value.lastIndexOf("]");
  if (close < 2) return undefined;
  return value.slice(1, close);
}

/** The first `=` or `:`, as RawConfigParser's lazy option pattern finds it. */
function findDelimiter(value: string): number {
  const equals = value.indexOf("=");
  const colon = value.indexOf(":");
  if (equals < 0) return colon;
  if (colon < 0) return equals;
  return Math.min(equals, colon);
}

function closeValue(
  open: OpenValue,
  file: AwsFileKind,
  fail: (code: AwsFileError["code"], line: number, message: string) => void,
): void {
  while (open.lines.length > 1 && open.lines[open.lines.length - 1] === "") open.lines.pop();
  const value = open.lines.join("\n");
  const line = open.lineNumbers[0] ?? 0;
  const entry: IniValue = { value, line };
  if (value.startsWith("\n")) {
    const nested = new Map<string, string>();
    // Blank entries carry no line number; only the non-blank ones were numbered.
    const written = open.lines.slice(1).filter((text) => text !== "");
    written.forEach((text, i) => {
      const equals = text.indexOf("=");
      const at = open.lineNumbers[i + 1] ?? line;
      if (equals < 0) {
        fail(
          "InvalidNestedSetting",
          at,
          `Line ${at} of the ${file} file is inside the nested "${open.key}" block but has no "=".`,
        );
        return;
      }
      nested.set(text.slice(0, equals).trim(), text.slice(equals + 1).trim());
    });
    entry.nested = nested;
  }
  open.target.set(open.key, entry);
}

function lendDefaults(
  sections: IniSection[],
  defaults: Map<string, IniValue>,
  file: AwsFileKind,
  warnings: AwsFileWarning[],
): void {
  const first = [...defaults.values()][0];
  warnings.push({
    code: "DefaultSectionInherited",
    file,
    line: first?.line ?? 1,
    message:
      `[DEFAULT] in the ${file} file is not the default profile: like the aws CLI, rolechain ` +
      "gives its keys to every section that does not set them. Use [default] for the profile.",
  });
  for (const section of sections) {
    for (const [key, value] of defaults) {
      if (!section.settings.has(key)) section.settings.set(key, value);
    }
  }
}

function checkSize(text: string, file: AwsFileKind): AwsFileError | undefined {
  // Every UTF-16 unit is at least one UTF-8 byte, so a long string is too large for sure.
  let bytes = 0;
  let line = 1;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 10) line += 1;
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
    if (bytes > MAX_AWS_FILE_BYTES) {
      return {
        code: "FileTooLarge",
        file,
        line,
        message:
          `The ${file} file is larger than the ${MAX_AWS_FILE_BYTES} bytes (1 MiB) rolechain ` +
          `reads; the limit is passed on line ${line}.`,
      };
    }
  }
  return undefined;
}

/** A control character other than tab, or U+FFFD (bytes that were not valid UTF-8). */
function findBinary(line: string): string | undefined {
  for (let i = 0; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code === 0) return "a NUL byte: this looks like a binary file, not an AWS INI file";
    if ((code < 0x20 && code !== 9 && code !== 11 && code !== 12) || code === 0x7f) {
      const hex = code.toString(16).padStart(2, "0");
      return `the control character 0x${hex}: this looks like a binary file`;
    }
    if (code === 0xfffd) return "bytes that are not valid UTF-8";
  }
  return undefined;
}

/** Names the line and the rule. Only a header is quoted: any other line may hold a secret. */
function describeOrphan(
  code: AwsFileError["code"],
  value: string,
  lineNo: number,
  file: AwsFileKind,
): string {
  const where = `Line ${lineNo} of the ${file} file`;
  if (code === "UnclosedSectionHeader") {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    return `${where} starts a section header without a closing "]": ${shown}`;
  }
  if (code === "MissingSectionHeader") {
    return `${where} comes before any [section] header; every setting belongs to a section.`;
  }
  return `${where} has no "=" (or ":") between a key and a value.`;
}
