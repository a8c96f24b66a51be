import { describe, expect, it } from "vitest";
import { MAX_AWS_FILE_BYTES, parseIni } from "./parse-ini";

/** The settings of one section as plain key -> value, for readable expectations. */
function settingsOf(text: string, header: string): Record<string, string> | undefined {
  const result = parseIni(text, "config");
  if (!result.ok) throw new Error(`unexpected parse failure: ${result.errors[0]?.message}`);
  const section = result.document.sections.find((s) => s.header === header);
  if (!section) return undefined;
  return Object.fromEntries([...section.settings].map(([key, entry]) => [key, entry.value]));
}

describe("parseIni reads lines as the aws CLI (RawConfigParser) does", () => {
  it.each([
    ["keys are lowercased", "[s]\nRegion = x\n", { region: "x" }],
    ["`:` is a delimiter too", "[s]\nregion: x\n", { region: "x" }],
    [
      "the first of `=` and `:` splits",
      "[s]\nk:=1\nrole_arn = arn:aws:x\n",
      { k: "=1", role_arn: "arn:aws:x" },
    ],
    ["keys and values are trimmed, tabs too", "[s]\n\tk \t=\t v \t\n", { k: "v" }],
    ["an empty value is kept", "[s]\nk =\n", { k: "" }],
    ["`=` inside a value stays", "[s]\nk = a=b\n", { k: "a=b" }],
    ["full-line # and ; comments, even indented", "[s]\n# a\n  ; b\nk = 1\n", { k: "1" }],
    ["no inline comments: ` #` is part of the value", "[s]\nk = v # c\n", { k: "v # c" }],
    ["a value may start with #", "[s]\nk = #1\n", { k: "#1" }],
    ["an indented line continues the value", "[s]\nk = 1\n  more\n", { k: "1\nmore" }],
    ["indented keys at one level are separate keys", "[s]\n  a = 1\n  b = 2\n", { a: "1", b: "2" }],
    ["CRLF and lone CR end lines", "[s]\r\na = 1\rb = 2\r\n", { a: "1", b: "2" }],
    ["blank lines are ignored", "\n\n[s]\n\nk = 1\n\n", { k: "1" }],
  ])("%s", (_rule, text, expected) => {
    expect(settingsOf(text, "s")).toEqual(expected);
  });

  it.each([
    ["text after the closing bracket is ignored", "[profile a] # c\n", "profile a"],
    ["the header runs to the last bracket", "[profile a]]\n", "profile a]"],
    ["spaces inside brackets are kept", "[ profile a ]\n", " profile a "],
    ["names keep dots, at signs and dashes", "[profile a.b@c-d]\n", "profile a.b@c-d"],
  ])("section header: %s", (_rule, text, header) => {
    const result = parseIni(text, "config");
    expect(result.ok && result.document.sections.map((s) => s.header)).toEqual([header]);
  });

  it("parses an indented block after `key =` as a nested sub-section", () => {
    const text =
      "[s]\ns3 =\n  max_concurrent_requests = 20\n\n  addressing_style=path\nregion = x\n";
    const result = parseIni(text, "config");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const settings = result.document.sections[0]?.settings;
    expect(settings?.get("region")?.value).toBe("x");
    expect(Object.fromEntries(settings?.get("s3")?.nested ?? [])).toEqual({
      max_concurrent_requests: "20",
      addressing_style: "path",
    });
  });

  it("lends [DEFAULT] keys to every section that does not set them, with a warning", () => {
    const text = "[DEFAULT]\nregion = x\n[a]\nk = 1\n[b]\nregion = y\n";
    expect(settingsOf(text, "a")).toEqual({ k: "1", region: "x" });
    expect(settingsOf(text, "b")).toEqual({ region: "y" });
    expect(parseIni(text, "config").warnings.map((w) => w.code)).toEqual([
      "DefaultSectionInherited",
    ]);
  });

  it("warns on a repeated section and merges it, the later key winning", () => {
    const result = parseIni("[s]\na = 1\nb = 1\n[s]\nb = 2\n", "config");
    expect(result.ok && result.document.sections.length).toBe(1);
    expect(settingsOf("[s]\na = 1\nb = 1\n[s]\nb = 2\n", "s")).toEqual({ a: "1", b: "2" });
    expect(result.warnings).toMatchObject([
      { code: "DuplicateSection", line: 4 },
      { code: "DuplicateKey", line: 5 },
    ]);
  });

  it("warns on a repeated key, in any case, and keeps the later value", () => {
    const text = "[s]\nRegion = a\nregion = b\n";
    expect(settingsOf(text, "s")).toEqual({ region: "b" });
    expect(parseIni(text, "config").warnings).toMatchObject([{ code: "DuplicateKey", line: 3 }]);
  });

  it("warns on a value holding what looks like an inline comment", () => {
    const result = parseIni("[s]\nregion = eu-west-1 # Ireland\n", "config");
    expect(result.warnings).toMatchObject([{ code: "InlineComment", line: 2 }]);
  });

  it("accepts a leading byte order mark with a warning (the CLI refuses it)", () => {
    const result = parseIni("\ufeff[s]\nk = 1\n", "config");
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual(["ByteOrderMark"]);
  });
});

describe("parseIni reports malformed files as error values with line numbers", () => {
  it.each([
    ["a key before any section", "region = x\n", "MissingSectionHeader", 1],
    ["a first header without ]", "[profile a\nk = 1\n", "UnclosedSectionHeader", 1],
    ["a later header without ]", "[profile a]\nk = 1\n[profile b\n", "UnclosedSectionHeader", 3],
    ["a key line without =", "[s]\nk = 1\naws_secret_access_key\n", "MissingDelimiter", 3],
    ["a line that is only =", "[s]\n= 1\n", "EmptyKey", 2],
    ["[] is not a header", "[]\n", "UnclosedSectionHeader", 1],
    ["a nested line without =", "[s]\ns3 =\n  addressing_style\n", "InvalidNestedSetting", 3],
    ["a NUL byte", "[s]\nk = 1\nx\u0000y\n", "BinaryContent", 3],
    ["a control character", "[s]\n\u0001\u0002\n", "BinaryContent", 2],
    ["bytes that were not UTF-8", "[s]\nk = \ufffd\n", "BinaryContent", 2],
  ])("%s", (_case, text, code, line) => {
    const result = parseIni(text, "credentials");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ code, line, file: "credentials" });
    expect(result.errors[0]?.message).toContain(`Line ${line} of the credentials file`);
  });

  it("never quotes a malformed key line, which may hold a secret", () => {
    const result = parseIni("[s]\nwJalrXUtnFEMI/K7MDENG\n", "credentials");
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("wJalrXUtnFEMI");
  });

  it("reports every bad line, capped, and counts the rest", () => {
    const text = `[s]\n${"bad\n".repeat(50)}`;
    const result = parseIni(text, "config");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(20);
    expect(result.errors.at(-1)?.message).toContain("30 more errors not shown");
  });

  it("refuses 5 MB of text quickly, naming the limit and the line where it is passed", () => {
    const line = "k = 0123456789012345678901234567890123456789\n";
    const text = `[s]\n${line.repeat(Math.ceil((5 * 1024 * 1024) / line.length))}`;
    const started = performance.now();
    const result = parseIni(text, "config");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const expectedLine = 1 + Math.ceil((MAX_AWS_FILE_BYTES - 4) / line.length);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: "FileTooLarge", line: expectedLine }),
    ]);
    expect(result.errors[0]?.message).toContain("1048576 bytes (1 MiB)");
  });

  it("counts UTF-8 bytes, not characters, against the limit", () => {
    const text = `[s]\nk = ${"é".repeat(MAX_AWS_FILE_BYTES / 2)}\n`;
    expect(parseIni(text, "config")).toMatchObject({
      ok: false,
      errors: [{ code: "FileTooLarge" }],
    });
  });

  it("reads a file just under the limit, and a one-line value of 1 MB, without trouble", () => {
    const value = "a".repeat(MAX_AWS_FILE_BYTES - 20);
    const result = parseIni(`[s]\nk = ${value}\n`, "config");
    expect(result.ok && result.document.sections[0]?.settings.get("k")?.value.length).toBe(
      value.length,
    );
  });

  it("survives random binary garbage with an error value, never a throw", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round += 1) {
      const text = String.fromCharCode(
        ...Array.from({ length: 2000 }, () => Math.floor(random() * 256)),
      );
      const result = parseIni(text, "config");
      expect(result.ok).toBe(false);
    }
  });
});
