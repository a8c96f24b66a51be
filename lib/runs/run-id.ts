import "server-only";
import { randomBytes } from "node:crypto";

const TIME_WIDTH = 9;
const SUFFIX_LENGTH = 5;
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

export interface RunIdOptions {
  now?: () => number;
  randomBytes?: (size: number) => Uint8Array;
}

/**
 * Makes run ids that are short, URL-safe and sort by creation time as plain strings:
 * 9 base-36 digits of milliseconds (monotonic within the process) + 5 random base-36 characters.
 *
 * @example createRunIdFactory()() // "0mirh3k2qx7f1a"
 */
export function createRunIdFactory(options: RunIdOptions = {}): () => string {
  const now = options.now ?? Date.now;
  const random = options.randomBytes ?? randomBytes;
  let last = 0;
  return () => {
    // Two runs in the same millisecond still sort in creation order.
    last = Math.max(now(), last + 1);
    const time = last.toString(36).padStart(TIME_WIDTH, "0");
    let suffix = "";
    for (const byte of random(SUFFIX_LENGTH)) suffix += ALPHABET[byte % ALPHABET.length];
    return time + suffix;
  };
}

/** True for strings shaped like our run ids; routes use it to refuse junk before the store. */
export function isRunId(value: string): boolean {
  return /^[0-9a-z]{14}$/.test(value);
}
