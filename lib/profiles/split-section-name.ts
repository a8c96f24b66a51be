/**
 * Splits a section header into words as botocore does (`shlex.split`, POSIX rules), so that
 * `[profile "my profile"]` names `my profile` and `[profile a b]` names nothing.
 * Returns undefined where Python raises (an unclosed quote, a trailing backslash): botocore then
 * skips the section.
 */
export function splitSectionName(header: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < header.length; i += 1) {
    const char = header[i] ?? "";
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && (header[i + 1] === '"' || header[i + 1] === "\\")) {
        word += header[i + 1];
        i += 1;
      } else word += char;
      continue;
    }
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (char === "'" || char === '"') quote = char;
    else if (char === "\\") {
      if (i + 1 >= header.length) return undefined;
      word += header[i + 1];
      i += 1;
    } else word += char;
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}
