import { isDeepStrictEqual } from "node:util";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import {
  createHopCsvStream,
  HOP_CSV_COLUMNS,
  neutraliseFormula,
  quoteCsvField,
  toCsvRecord,
} from "./csv";
import { createRunRegistry } from "./registry";
import { RunStore } from "./store";
import { makeHop, makeTempDataDir, pingPongHops } from "./test-fixtures";
import type { HopRecord } from "./types";

const store = new RunStore({ dataDir: makeTempDataDir() });
const registry = createRunRegistry({ store });

afterAll(() => store.close());

const CHAIN = { kind: "chain", target: "sandbox", params: { mode: "pingpong" } } as const;

async function runWith(hops: HopRecord[]): Promise<string> {
  const run = registry.start(CHAIN, async (sink) => {
    for (const hop of hops) sink.emit({ type: "hop", data: hop });
    return { status: "completed" };
  });
  await expect.poll(() => registry.get(run.id)?.status, { timeout: 60_000 }).toBe("completed");
  return run.id;
}

async function readBytes(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

function parseCsv(bytes: Buffer): Record<string, string>[] {
  return parse(bytes.toString("utf8"), { bom: true, columns: true, record_delimiter: "\r\n" });
}

/** The CSV record a stored hop must parse back to, keyed by the design.md header. */
function expectedRecord(hop: HopRecord): Record<string, string> {
  return {
    run_id: hop.runId,
    hop: String(hop.hop),
    started_at: hop.startedAt,
    finished_at: hop.finishedAt,
    latency_ms: String(hop.latencyMs),
    from_arn: hop.fromArn,
    to_arn: hop.toArn,
    role_arn: hop.roleArn,
    session_name: hop.sessionName,
    assumed_role_id: hop.assumedRoleId,
    access_key_id: hop.accessKeyId,
    expiration: hop.expiration,
    source_identity: hop.sourceIdentity,
    transitive_tags: hop.transitiveTags,
    status: hop.status,
    error_code: hop.errorCode,
    error_message: hop.errorMessage,
    attempts: String(hop.attempts),
    region: hop.region,
    profile: hop.profile,
    hint: hop.hint ?? "",
  };
}

describe("hop CSV", () => {
  it("starts with a UTF-8 byte order mark and the design.md header, CRLF-terminated", async () => {
    const id = await runWith([makeHop(0, "A", null)]);
    const bytes = await readBytes(registry.csv(id));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = bytes.subarray(3).toString("utf8").split("\r\n")[0];
    expect(header).toBe(
      "run_id,hop,started_at,finished_at,latency_ms,from_arn,to_arn,role_arn,session_name," +
        "assumed_role_id,access_key_id,expiration,source_identity,transitive_tags,status," +
        "error_code,error_message,attempts,region,profile,hint",
    );
  });

  it("C07: an error message with a comma, a quote and a line break parses back equal", async () => {
    const message = 'denied, "really"\nsecond line';
    const hop = makeHop(0, "A", null, {
      status: "error",
      errorCode: "AccessDenied",
      errorMessage: message,
      toArn: "",
    });
    const id = await runWith([hop]);
    const bytes = await readBytes(registry.csv(id));
    expect(bytes.toString("utf8")).toContain('"denied, ""really""\nsecond line"');
    const [record, ...rest] = parseCsv(bytes);
    expect(rest).toEqual([]);
    expect(record?.error_message).toBe(message);
    expect(record?.error_code).toBe("AccessDenied");
  });

  it("C07: a transitive tag value Zürich-東京 survives as UTF-8", async () => {
    const hop = makeHop(0, "A", null, { transitiveTags: "city=Zürich-東京;team=blue" });
    const id = await runWith([hop]);
    const bytes = await readBytes(registry.csv(id));
    // The BOM is what makes a spreadsheet open the file as UTF-8 rather than a legacy code page.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes(Buffer.from("Zürich-東京", "utf8"))).toBe(true);
    expect(parseCsv(bytes)[0]?.transitive_tags).toBe("city=Zürich-東京;team=blue");
  });

  it("C07: every field of every record parses back equal to what was stored", async () => {
    const hops = pingPongHops(20).map((hop, i) =>
      i === 7
        ? { ...hop, status: "error" as const, errorMessage: 'denied, "really"\nsecond line' }
        : { ...hop, transitiveTags: "city=Zürich-東京", hint: i === 3 ? "a, b" : "" },
    );
    const id = await runWith(hops);
    const records = parseCsv(await readBytes(registry.csv(id)));
    const stored = registry.hops(id, -1, 1000);
    expect(records).toHaveLength(stored.length);
    records.forEach((record, i) => {
      expect(record).toEqual(expectedRecord(stored[i] as HopRecord));
    });
  });

  // Parsing and comparing 100,000 records takes ~17 s alone; a busy shared machine needs more.
  it("C07: a 100,000-hop run exports exactly 100,001 records, every field as stored", {
    timeout: 180_000,
  }, async () => {
    // Stored in one transaction to keep the test quick; the export path is the same. The
    // awkward fields recur through the run, not only near its start.
    const id = "00000000100k00";
    store.createRun({ id, kind: "chain", target: "sandbox", params: {}, startedAt: "" });
    const hops = pingPongHops(99_999).map((hop, i) =>
      i % 997 === 0
        ? {
            ...hop,
            runId: id,
            status: "error" as const,
            errorMessage: 'denied, "really"\nsecond line',
            transitiveTags: "city=Zürich-東京",
          }
        : { ...hop, runId: id },
    );
    store.appendMany(
      id,
      hops.map((hop) => ({ type: "hop" as const, data: hop })),
    );
    const bytes = await readBytes(registry.csv(id));
    const header = bytes.subarray(3, bytes.indexOf("\r\n")).toString("utf8");
    expect(header).toBe(HOP_CSV_COLUMNS.join(","));
    // The header plus one record per hop: 100,001 in all.
    const records = parseCsv(bytes);
    expect(records).toHaveLength(100_000);
    const stored = registry.hops(id, -1, 100_000);
    expect(stored).toHaveLength(100_000);
    const firstWrong = records.findIndex(
      (record, i) => !isDeepStrictEqual(record, expectedRecord(stored[i] as HopRecord)),
    );
    if (firstWrong >= 0) {
      expect(records[firstWrong]).toEqual(expectedRecord(stored[firstWrong] as HopRecord));
    }
    expect(firstWrong).toBe(-1);
    expect(records.filter((record) => record.transitive_tags === "city=Zürich-東京")).toHaveLength(
      101,
    );
  });

  it("C07: a 100,000-hop export reads the store only as fast as it is consumed", async () => {
    const id = "00000000100k01";
    store.createRun({ id, kind: "chain", target: "sandbox", params: {}, startedAt: "" });
    store.appendMany(
      id,
      pingPongHops(99_999).map((hop) => ({ type: "hop" as const, data: { ...hop, runId: id } })),
    );
    // Counted by hand: a spy would keep every page it returned, which is the memory measured.
    let pageReads = 0;
    let hopsRead = 0;
    const readPage = store.hopEventsAfterSeq.bind(store);
    store.hopEventsAfterSeq = (...args) => {
      const events = readPage(...args);
      pageReads += 1;
      hopsRead += events.length;
      return events;
    };
    const reader = registry.csv(id).getReader();
    let bytes = 0;
    let chunks = 0;
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        chunks += 1;
        bytes += chunk.value.byteLength;
        // A slow client: let the stream run ahead if it would, then check it did not. Flat
        // memory means never more than one 1,000-hop page read ahead of what was taken.
        await new Promise((resolve) => setImmediate(resolve));
        expect(pageReads).toBeLessThanOrEqual(chunks);
      }
    } finally {
      Reflect.deleteProperty(store, "hopEventsAfterSeq");
    }
    expect(hopsRead).toBe(100_000);
    expect(chunks).toBe(101);
    // Tens of MB in all: keeping what was already sent would stand out below.
    expect(bytes).toBeGreaterThan(20_000_000);
    // Flat memory follows from reading at most one page ahead (checked above); its size in
    // bytes is a benchmark figure, not an assertion here (`npm run bench`).
  });

  it("C07: streams: the header arrives before any page is read, pages only on demand", async () => {
    const reads: number[] = [];
    const stream = createHopCsvStream(
      (cursor, limit) => {
        reads.push(cursor);
        const hops = pingPongHops(5000).slice(cursor, cursor + limit);
        return { hops, next: cursor + hops.length };
      },
      { pageSize: 1000 },
    );
    const reader = stream.getReader();
    const first = await reader.read();
    expect(
      new TextDecoder("utf-8", { ignoreBOM: true })
        .decode(first.value)
        .startsWith("\uFEFFrun_id,hop,"),
    ).toBe(true);
    // highWaterMark 1: at most one page is read ahead of what the consumer took.
    expect(reads.length).toBeLessThanOrEqual(1);
    await reader.read();
    expect(reads.length).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-1+2", "'-1+2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", "'\rx"],
    ["arn:aws:iam::123456789012:role/x", "arn:aws:iam::123456789012:role/x"],
    ["a=b", "a=b"],
    ["", ""],
  ])("neutralises formula starts: %j -> %j", (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["cr\rhere", '"cr\rhere"'],
    ["crlf\r\nhere", '"crlf\r\nhere"'],
    ["Zürich-東京", "Zürich-東京"],
  ])("quotes per RFC 4180: %j -> %j", (input, expected) => {
    expect(quoteCsvField(input)).toBe(expected);
  });

  it("writes numeric columns as plain numbers, never neutralised", () => {
    const record = toCsvRecord(makeHop(3, "A", "B", { latencyMs: 0, attempts: 2 }));
    const fields = parse(record)[0] as string[];
    expect([fields[1], fields[4], fields[17]]).toEqual(["3", "0", "2"]);
  });

  it("neutralises a formula hidden in an AWS error message and still round-trips it", async () => {
    const hop = makeHop(0, "A", null, { status: "error", errorMessage: '=HYPERLINK("x","y")' });
    const id = await runWith([hop]);
    const [record] = parseCsv(await readBytes(registry.csv(id)));
    expect(record?.error_message).toBe('\'=HYPERLINK("x","y")');
  });
});
