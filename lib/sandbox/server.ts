/**
 * The HTTP edge of the sandbox: reads a bounded body, applies the knobs, verifies SigV4,
 * routes the Query `Action` to IAM or STS by the signing scope's service (or `Version`), and
 * answers in AWS's XML. Every failure leaves as AWS's `<ErrorResponse>`; anything unexpected
 * is logged with its cause and answered with a bare 500 `ServiceFailure`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { type Authenticated, authenticate, type SessionCodec, signedService } from "./auth";
import type { Caller, SandboxKnobs } from "./contracts";
import {
  InvalidAction,
  MissingAction,
  RequestEntityTooLarge,
  SandboxError,
  ServiceFailure,
  Throttling,
} from "./errors";
import { IAM_ACTIONS, type IamContext } from "./iam";
import { newRequestId } from "./ids";
import { parseQueryParams, type QueryParams } from "./query";
import type { SandboxState } from "./state";
import type { StsContext } from "./sts";
import { errorXml, resultXml, type Service } from "./xml";

/** Large enough for any valid request (a 10240-character policy URL-encoded is ~31 KB). */
export const MAX_BODY_BYTES = 256 * 1024;
/** Distinct signing regions counted by name; more than this are counted as "other". */
const MAX_TRACKED_REGIONS = 64;

export const VERSIONS: Record<Service, string> = { iam: "2010-05-08", sts: "2011-06-15" };

/** An STS action of lib/sandbox/sts.ts: its `<{Action}Result>` content, or a thrown error. */
export type StsHandler = (ctx: StsContext, params: QueryParams) => unknown | Promise<unknown>;

export interface SandboxStats {
  requests: number;
  byAction: Record<string, number>;
  regions: Record<string, number>;
}

export interface HandlerDeps {
  state: SandboxState;
  roleQuota: number;
  knobs(): SandboxKnobs;
  /** The sandbox clock: the injected clock plus `clockOffsetMs`. */
  clock(): number;
  random(): number;
  log(fields: Record<string, unknown>): void;
  codec: SessionCodec;
  stsActions: Readonly<Record<string, StsHandler>>;
  /** Evaluates the caller's identity policies; resolves to whether the action is allowed. */
  authorize(caller: Caller, action: string, resource: string, now: number): Promise<void>;
  stats: SandboxStats;
}

/** `ASIA…WXYZ`: enough to tell keys apart in a log, never enough to use one. */
export function maskAccessKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 8 ? "…" : `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new RequestEntityTooLarge(`Request body larger than ${MAX_BODY_BYTES} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new RequestEntityTooLarge(`Request body larger than ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function serviceOf(req: IncomingMessage, params: QueryParams): Service {
  const scoped = signedService(req.headers);
  if (scoped === "iam" || scoped === "sts") return scoped;
  return params.Version === VERSIONS.sts ? "sts" : "iam";
}

function countInto(map: Record<string, number>, key: string, limit: number): void {
  const name = Object.hasOwn(map, key) || Object.keys(map).length < limit ? key : "other";
  map[name] = (map[name] ?? 0) + 1;
}

/** Builds the node:http request listener of one sandbox. */
export function createRequestHandler(deps: HandlerDeps) {
  const { state } = deps;

  async function applyKnobs(knobs: SandboxKnobs): Promise<void> {
    if (knobs.latencyMs > 0) await delay(knobs.latencyMs);
    // The random source is consulted only for knobs that are on, so a test that injects a
    // sequence of numbers gets them in the order it expects.
    if (knobs.throttleRate > 0 && deps.random() < knobs.throttleRate) {
      throw new Throttling("Rate exceeded");
    }
    if (knobs.faultRate > 0 && deps.random() < knobs.faultRate) {
      throw new ServiceFailure();
    }
  }

  async function dispatch(
    service: Service,
    params: QueryParams,
    auth: Authenticated,
    requestId: string,
  ): Promise<unknown> {
    const action = params.Action;
    if (action === undefined || action === "") throw new MissingAction("Missing Action");
    const version = params.Version ?? VERSIONS[service];
    const now = deps.clock();
    if (service === "iam" && version === VERSIONS.iam && Object.hasOwn(IAM_ACTIONS, action)) {
      const ctx: IamContext = {
        state,
        caller: auth.caller,
        now,
        roleQuota: deps.roleQuota,
        authorize: (iamAction, resource) =>
          deps.authorize(auth.caller, `iam:${iamAction}`, resource, now),
      };
      return (IAM_ACTIONS[action] as NonNullable<(typeof IAM_ACTIONS)[string]>)(ctx, params);
    }
    const stsHandler = Object.hasOwn(deps.stsActions, action) ? deps.stsActions[action] : undefined;
    if (service === "sts" && version === VERSIONS.sts && stsHandler) {
      return stsHandler(
        {
          state,
          caller: auth.caller,
          now,
          masterKey: state.masterKey,
          knobs: deps.knobs(),
          requestId,
        },
        params,
      );
    }
    throw new InvalidAction(`Could not find operation ${action} for version ${version}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = newRequestId();
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    let service: Service = "iam";
    let params: QueryParams = Object.create(null);
    let auth: Authenticated | undefined;
    let status = 200;
    let errorCode: string | undefined;
    let body: string;
    try {
      const raw = await readBody(req);
      params = parseQueryParams(url.search.slice(1));
      if (req.method !== "GET" && req.method !== "POST") {
        throw new InvalidAction(`The HTTP method ${req.method} is not supported; use POST.`);
      }
      if (req.method === "POST") Object.assign(params, parseQueryParams(raw.toString("utf8")));
      service = serviceOf(req, params);
      await applyKnobs(deps.knobs());
      auth = await authenticate(
        {
          method: req.method,
          path: url.pathname,
          rawQuery: url.search.slice(1),
          headers: req.headers,
          body: raw,
        },
        state,
        deps.codec,
        deps.clock(),
      );
      countInto(deps.stats.regions, auth.region, MAX_TRACKED_REGIONS);
      // A presigned request names its service in the query, not in a header: now we know it.
      if (auth.service === "iam" || auth.service === "sts") service = auth.service;
      const result = await dispatch(service, params, auth, requestId);
      body = resultXml(service, params.Action ?? "", result, requestId);
    } catch (error) {
      const known = error instanceof SandboxError ? error : new ServiceFailure();
      if (!(error instanceof SandboxError) || known.status >= 500) {
        deps.log({ event: "error", requestId, action: params.Action, error: describeError(error) });
      }
      status = known.status;
      errorCode = known.code;
      body = errorXml(service, known, requestId);
    }
    deps.stats.requests += 1;
    const action = params.Action ?? "";
    const known = Object.hasOwn(IAM_ACTIONS, action) || Object.hasOwn(deps.stsActions, action);
    countInto(deps.stats.byAction, known ? action : "(unknown)", Number.POSITIVE_INFINITY);
    res.writeHead(status, {
      // The sandbox clock, so an SDK that corrects its clock skew from this header (as the
      // AWS SDKs do after a "Signature expired") converges on the sandbox's time.
      date: new Date(deps.clock()).toUTCString(),
      "content-type": "text/xml",
      "content-length": Buffer.byteLength(body),
      "x-amzn-requestid": requestId,
    });
    res.end(body);
    deps.log({
      event: "request",
      requestId,
      service,
      action: params.Action,
      status,
      code: errorCode,
      caller: auth?.caller.arn,
      key: auth ? maskAccessKeyId(auth.caller.accessKeyId) : undefined,
      region: auth?.region,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      // Only writing the response can land here (e.g. the client went away mid-answer).
      deps.log({ event: "response-failed", error: describeError(error) });
      res.destroy();
    });
  };
}

/** An error for the log: its code, message and cause chain; never request secrets. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  return {
    name: error.name,
    code: (error as { code?: unknown }).code,
    message: error.message,
    stack: error.stack,
    cause: error.cause === undefined ? undefined : describeError(error.cause),
  };
}
