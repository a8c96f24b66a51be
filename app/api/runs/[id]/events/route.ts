import { z } from "zod";
import { createEventStream, parseLastEventId } from "@/lib/runs/sse";
import { findRun, integerParam, parseQuery, type RunRouteContext } from "../../_lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * `?lastEventId=N` lets a page that already folded the graph up to seq N start the stream there
 * (EventSource cannot send headers on its first request); the browser's own `Last-Event-ID`
 * header on a reconnect is newer, so it wins. A malformed header is ignored (replay from 0).
 */
const EventsQuery = z.object({
  lastEventId: integerParam("lastEventId", 0, Number.MAX_SAFE_INTEGER, 0),
});

export async function GET(request: Request, ctx: RunRouteContext): Promise<Response> {
  const query = parseQuery(request, EventsQuery);
  if (query instanceof Response) return query;

  const run = await findRun(ctx);
  if (run instanceof Response) return run;

  const header = parseLastEventId(request.headers.get("last-event-id"));
  const stream = createEventStream(run.id, header ?? query.lastEventId, request.signal);
  return new Response(stream, { headers: EVENT_STREAM_HEADERS });
}

/**
 * The headers alone. Without this Next answers HEAD by running GET and dropping the body
 * without cancelling it: each HEAD on a live run left a bus subscription and a keep-alive
 * timer queueing comments nobody reads (about 40 kB a request, until the run ended).
 */
export async function HEAD(_request: Request, ctx: RunRouteContext): Promise<Response> {
  const run = await findRun(ctx);
  if (run instanceof Response) return run;

  return new Response(null, { headers: EVENT_STREAM_HEADERS });
}

const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
};
