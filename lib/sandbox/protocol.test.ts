import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceFailure, ValidationError } from "./errors";
import { MAX_BODY_BYTES } from "./server";
import { rawRequest, startTestSandbox, type TestSandbox } from "./test-support";
import { errorXml, resultXml, toXmlChildren } from "./xml";

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const IAM_NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';
const STS_NS = 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"';
const code = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
const message = (body: string) => /<Message>([^<]*)<\/Message>/.exec(body)?.[1];

describe("XML serializer", () => {
  it("writes objects as elements, arrays as members, maps as entries, and escapes text", () => {
    const xml = toXmlChildren({
      Name: "a<b>&\"c'",
      List: ["x", "y"],
      Flag: false,
      Count: 3,
      Absent: undefined,
      Map: new Map([["Roles", 2]]),
    });
    expect(xml).toBe(
      "<Name>a&lt;b&gt;&amp;\"c'</Name><List><member>x</member><member>y</member></List>" +
        "<Flag>false</Flag><Count>3</Count><Map><entry><key>Roles</key><value>2</value></entry></Map>",
    );
  });

  it("wraps a result and an error in AWS's envelopes", () => {
    expect(resultXml("iam", "GetRole", { A: "1" }, "req-1")).toContain(
      `<GetRoleResponse ${IAM_NS}><GetRoleResult><A>1</A></GetRoleResult>` +
        "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetRoleResponse>",
    );
    expect(errorXml("sts", new ValidationError("bad"), "req-2")).toContain(
      `<ErrorResponse ${STS_NS}><Error><Type>Sender</Type><Code>ValidationError</Code>` +
        "<Message>bad</Message></Error><RequestId>req-2</RequestId></ErrorResponse>",
    );
    expect(errorXml("iam", new ServiceFailure(), "r")).toContain("<Type>Receiver</Type>");
  });
});

describe("Query protocol over HTTP", () => {
  it("answers a signed POST with the result envelope and x-amzn-requestid", async () => {
    const res = await rawRequest(t.sandbox, { form: "Action=GetUser&Version=2010-05-08" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/xml");
    const requestId = res.headers.get("x-amzn-requestid");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toContain(`<GetUserResponse ${IAM_NS}><GetUserResult><User>`);
    expect(res.body).toContain(`<RequestId>${requestId}</RequestId>`);
  });

  it("accepts the parameters in a GET query string", async () => {
    const res = await rawRequest(t.sandbox, {
      method: "GET",
      form: "Action=GetCallerIdentity&Version=2011-06-15",
      service: "sts",
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<GetCallerIdentityResponse ${STS_NS}>`);
  });

  it("routes by the signing scope's service: an STS action signed for iam is unknown", async () => {
    const res = await rawRequest(t.sandbox, {
      form: "Action=GetCallerIdentity&Version=2011-06-15",
      service: "iam",
    });
    expect(res.status).toBe(400);
    expect(code(res.body)).toBe("InvalidAction");
  });

  it.each([
    [
      "an unknown action",
      "Action=LaunchRockets&Version=2010-05-08",
      400,
      "InvalidAction",
      /Could not find operation LaunchRockets for version 2010-05-08/,
    ],
    ["no action at all", "Version=2010-05-08", 400, "MissingAction", /Missing Action/],
    [
      "a bad percent escape",
      "Action=GetRole&RoleName=%zz&Version=2010-05-08",
      400,
      "MalformedQueryString",
      /percent/,
    ],
    ["a JSON body", '{"Action":"GetUser"}', 400, "MissingAction", /Missing Action/],
    [
      "a missing parameter",
      "Action=GetRole&Version=2010-05-08",
      400,
      "ValidationError",
      /Value null at 'roleName'/,
    ],
    [
      "a wrong Version",
      "Action=GetRole&RoleName=a&Version=2099-01-01",
      400,
      "InvalidAction",
      /for version 2099-01-01/,
    ],
  ])("answers %s with AWS's error, never a crash", async (_case, form, status, errorCode, text) => {
    const res = await rawRequest(t.sandbox, { form });
    expect(res.status).toBe(status);
    expect(res.body).toContain(`<ErrorResponse ${IAM_NS}><Error><Type>Sender</Type>`);
    expect(code(res.body)).toBe(errorCode);
    expect(message(res.body)).toMatch(text);
    expect(res.body).toContain(`<RequestId>${res.headers.get("x-amzn-requestid")}</RequestId>`);
  });

  it("bounds the body size with 413 and keeps serving", async () => {
    const form = `Action=GetUser&Version=2010-05-08&Pad=${"x".repeat(MAX_BODY_BYTES)}`;
    const res = await rawRequest(t.sandbox, { form, unsigned: true });
    expect(res.status).toBe(413);
    expect(code(res.body)).toBe("RequestEntityTooLarge");
    const next = await rawRequest(t.sandbox, { form: "Action=GetUser&Version=2010-05-08" });
    expect(next.status).toBe(200);
  });

  it("answers an unsigned request with MissingAuthenticationToken 403", async () => {
    const res = await rawRequest(t.sandbox, {
      form: "Action=GetUser&Version=2010-05-08",
      unsigned: true,
    });
    expect(res.status).toBe(403);
    expect(code(res.body)).toBe("MissingAuthenticationToken");
  });

  it("turns an unexpected failure into a bare 500 ServiceFailure", async () => {
    const logged: Array<Record<string, unknown>> = [];
    const broken = await startTestSandbox({ log: (fields) => logged.push(fields) });
    try {
      // Corrupt one stored trust policy behind the server's back: reading it back throws.
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(`${broken.dataDir}/sandbox.db`);
      db.prepare(
        "INSERT INTO roles VALUES " +
          "('broken', 'AROAAAAAAAAAAAAAAAAAA', '/', '{}', NULL, 3600, 0, 'not json')",
      ).run();
      db.close();
      const res = await rawRequest(broken.sandbox, {
        form: "Action=GetRole&RoleName=broken&Version=2010-05-08",
      });
      expect(res.status).toBe(500);
      expect(code(res.body)).toBe("ServiceFailure");
      expect(res.body).not.toMatch(/at .*\.ts:\d+|SyntaxError|JSON/);
      expect(logged.some((line) => line.event === "error")).toBe(true);
    } finally {
      await broken.close();
    }
  });
});

describe("robustness", () => {
  /** Writes raw bytes on a fresh connection; resolves with what came back before it closed. */
  function rawSocket(payload: string, endAfterWrite: boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(t.sandbox.port, "127.0.0.1", () => {
        socket.write(payload);
        if (endAfterWrite) socket.end();
        else socket.destroy();
      });
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk.toString();
      });
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
    });
  }

  it("answers garbage that is not HTTP with 400 and keeps serving", async () => {
    const answer = await rawSocket("\x00\x01 not http at all\r\n\r\n", true);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(
      (await rawRequest(t.sandbox, { form: "Action=GetUser&Version=2010-05-08" })).status,
    ).toBe(200);
  });

  it("survives a client that drops the connection halfway through a body", async () => {
    const head =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
      "Content-Length: 1000\r\n\r\nAction=GetUs";
    await rawSocket(head, false);
    expect(
      (await rawRequest(t.sandbox, { form: "Action=GetUser&Version=2010-05-08" })).status,
    ).toBe(200);
  });

  it("keeps answering when the injected logger throws", async () => {
    const noisy = await startTestSandbox({
      log: () => {
        throw new Error("logger down");
      },
    });
    try {
      const res = await rawRequest(noisy.sandbox, { form: "Action=GetUser&Version=2010-05-08" });
      expect(res.status).toBe(200);
    } finally {
      await noisy.close();
    }
  });

  it.each([
    [
      {
        userName: "bad name",
        accessKeyId: "AKIA000000000000TEST",
        secretAccessKey: "s".repeat(40),
      },
      /seedUsers\[0\]\.userName/,
    ],
    [
      { userName: "ok", accessKeyId: "ASIA000000000000TEST", secretAccessKey: "s".repeat(40) },
      /seedUsers\[0\]\.accessKeyId/,
    ],
    [
      { userName: "ok", accessKeyId: "AKIA000000000000TEST", secretAccessKey: "" },
      /seedUsers\[0\]\.secretAccessKey/,
    ],
  ])("refuses a bad seed user %o, naming the field", async (seed, message) => {
    await expect(startTestSandbox({ seedUsers: [seed] })).rejects.toThrow(message);
  });
});

describe("stats", () => {
  it("counts a signing region named like an Object property as just a name", async () => {
    for (const region of ["__proto__", "constructor"]) {
      const res = await rawRequest(t.sandbox, {
        form: "Action=GetUser&Version=2010-05-08",
        region,
      });
      expect(res.status).toBe(200);
    }
    const { regions } = t.sandbox.stats();
    expect(Object.getOwnPropertyDescriptor(regions, "__proto__")?.value).toBe(1);
    expect(regions.constructor).toBe(1);
  });
});
