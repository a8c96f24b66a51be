import "server-only";
import type { HopRecord } from "./types";

/**
 * The hop log as CSV (RFC 4180), streamed.
 *
 * - Columns: design.md's, in order, then the extras `region, profile, hint`.
 * - Records end with CRLF; a field containing a comma, a double quote, CR or LF is quoted and
 *   its quotes doubled. Line breaks inside a field are kept as they were stored.
 * - Formula neutralising: a text cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading
 *   `'`, so a spreadsheet shows it instead of running it. Numeric columns (`hop`, `latency_ms`,
 *   `attempts`) are written from numbers, are never negative and are never prefixed, so they
 *   stay numbers in a spreadsheet.
 * - UTF-8 with a byte order mark: Excel reads a CSV without one in the legacy code page and
 *   garbles `Zürich-東京`; csv-parse and most tools skip the mark (csv-parse: `bom: true`).
 * - Pull-based: a page of hops is read from the store only when the consumer wants more bytes,
 *   so the download starts at once and memory stays flat for any run length.
 */

export const HOP_CSV_COLUMNS = [
  "run_id",
  "hop",
  "started_at",
  "finished_at",
  "latency_ms",
  "from_arn",
  "to_arn",
  "role_arn",
  "session_name",
  "assumed_role_id",
  "access_key_id",
  "expiration",
  "source_identity",
  "transitive_tags",
  "status",
  "error_code",
  "error_message",
  "attempts",
  "region",
  "profile",
  "hint",
] as const;

export type HopCsvColumn = (typeof HOP_CSV_COLUMNS)[number];

const BOM = "\uFEFF";
const CRLF = "\r\n";
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes `'` to text a spreadsheet would evaluate as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Quotes a field per RFC 4180 when it holds a comma, a double quote, CR or LF. */
export function quoteCsvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function text(value: string | undefined): string {
  return quoteCsvField(neutraliseFormula(value ?? ""));
}

function integer(value: number): string {
  // Written from a number, so a stray string or negative never smuggles in a formula.
  return Number.isFinite(value) ? String(Math.max(0, Math.trunc(value))) : "";
}

/** One CSV record (with its CRLF) for a hop. */
export function toCsvRecord(hop: HopRecord): string {
  const fields = [
    text(hop.runId),
    integer(hop.hop),
    text(hop.startedAt),
    text(hop.finishedAt),
    integer(hop.latencyMs),
    text(hop.fromArn),
    text(hop.toArn),
    text(hop.roleArn),
    text(hop.sessionName),
    text(hop.assumedRoleId),
    text(hop.accessKeyId),
    text(hop.expiration),
    text(hop.sourceIdentity),
    text(hop.transitiveTags),
    text(hop.status),
    text(hop.errorCode),
    text(hop.errorMessage),
    integer(hop.attempts),
    text(hop.region),
    text(hop.profile),
    text(hop.hint),
  ];
  return fields.join(",") + CRLF;
}

export function csvHeader(): string {
  return BOM + HOP_CSV_COLUMNS.join(",") + CRLF;
}

/** Reads hop records after a cursor; returns the page and the cursor to continue from. */
export type HopPageReader = (cursor: number, limit: number) => { hops: HopRecord[]; next: number };

export interface HopCsvStreamOptions {
  /** Hops read from the store per pull; one pull becomes one chunk. */
  pageSize?: number;
}

/**
 * A pull-based CSV stream over a paged hop reader.
 *
 * @example new Response(createHopCsvStream((cursor, limit) => store.page(cursor, limit)))
 */
export function createHopCsvStream(
  readPage: HopPageReader,
  options: HopCsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const pageSize = options.pageSize ?? 1000;
  const encoder = new TextEncoder();
  let cursor = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvHeader()));
          return;
        }
        const { hops, next } = readPage(cursor, pageSize);
        cursor = next;
        if (hops.length > 0) controller.enqueue(encoder.encode(hops.map(toCsvRecord).join("")));
        if (hops.length < pageSize) controller.close();
      },
    },
    // One chunk ahead at most: the store is read only as fast as the client downloads.
    { highWaterMark: 1 },
  );
}
