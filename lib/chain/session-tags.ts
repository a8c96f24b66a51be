/**
 * Session tags as a person writes them (`key=value`, one a line) checked against STS's rules,
 * and the text form the hop log keeps (`Key=Value;Key2=Value2`).
 */

import { quoteInput } from "@/lib/provision/field-error";

export interface SessionTag {
  Key: string;
  Value: string;
}

const MAX_TAGS = 50;
const KEY_MAX = 128;
const VALUE_MAX = 256;
// STS's tag character set: letters, digits and spaces in any language, plus _ . : / = + - @
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Accepts lines of `key=value` (also `;`-separated) or an array of `{ Key, Value }`. */
export function parseSessionTags(input: unknown): Parsed<SessionTag[]> {
  const tags: SessionTag[] = [];
  if (Array.isArray(input)) {
    for (const item of input) {
      const key = (item as { Key?: unknown })?.Key;
      const value = (item as { Value?: unknown })?.Value;
      if (typeof key !== "string" || typeof value !== "string") {
        return { ok: false, message: "must be a list of { Key, Value } texts." };
      }
      tags.push({ Key: key, Value: value });
    }
  } else if (typeof input === "string") {
    for (const line of input.split(/[\n;]/)) {
      if (!line.trim()) continue;
      const at = line.indexOf("=");
      if (at < 1)
        return {
          ok: false,
          message: `needs key=value on each line; got ${quoteInput(line.trim())}.`,
        };
      tags.push({ Key: line.slice(0, at).trim(), Value: line.slice(at + 1).trim() });
    }
  } else if (input !== undefined && input !== null) {
    return { ok: false, message: "must be text with one key=value a line." };
  }
  return checkTags(tags);
}

function checkTags(tags: SessionTag[]): Parsed<SessionTag[]> {
  if (tags.length > MAX_TAGS) return { ok: false, message: `allow at most ${MAX_TAGS} tags.` };
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (Key.length < 1 || Key.length > KEY_MAX || !TAG_TEXT.test(Key)) {
      return {
        ok: false,
        message: `key ${quoteInput(Key)} must be 1-${KEY_MAX} letters, digits, spaces or _ . : / = + - @.`,
      };
    }
    if (Value.length > VALUE_MAX || !TAG_TEXT.test(Value)) {
      return {
        ok: false,
        message:
          `value of ${quoteInput(Key)} must be 0-${VALUE_MAX} letters, digits, spaces ` +
          "or _ . : / = + - @.",
      };
    }
    // STS treats tag keys case-insensitively: two spellings of one key are a duplicate.
    if (seen.has(Key.toLowerCase()))
      return { ok: false, message: `repeat the key ${quoteInput(Key)}.` };
    seen.add(Key.toLowerCase());
  }
  return { ok: true, value: tags };
}

/** Comma- or line-separated keys (or an array), each of which must be one of `tags`. */
export function parseTransitiveTagKeys(input: unknown, tags: SessionTag[]): Parsed<string[]> {
  let keys: string[];
  if (Array.isArray(input) && input.every((key) => typeof key === "string")) {
    keys = input.map((key: string) => key.trim()).filter(Boolean);
  } else if (typeof input === "string") {
    keys = input
      .split(/[,\n]/)
      .map((key) => key.trim())
      .filter(Boolean);
  } else if (input === undefined || input === null) {
    keys = [];
  } else {
    return { ok: false, message: "must be comma-separated tag keys." };
  }
  const tagKeys = new Set(tags.map((tag) => tag.Key.toLowerCase()));
  const missing = keys.find((key) => !tagKeys.has(key.toLowerCase()));
  if (missing !== undefined) {
    return {
      ok: false,
      message: `names ${quoteInput(missing)}, which is not one of the Session tags.`,
    };
  }
  return { ok: true, value: keys };
}

/** The transitive tags as the hop log shows them: `Key=Value` joined by `;`. */
export function formatTransitiveTags(tags: SessionTag[], transitiveKeys: string[]): string {
  const keys = new Set(transitiveKeys.map((key) => key.toLowerCase()));
  return tags
    .filter((tag) => keys.has(tag.Key.toLowerCase()))
    .map((tag) => `${tag.Key}=${tag.Value}`)
    .join(";");
}
