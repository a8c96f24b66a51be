import { z } from "zod";
import { getRunRegistry } from "@/lib/runs/registry";
import { findRun, integerParam, parseQuery, type RunRouteContext } from "../../_lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_HOPS_PAGE = 1000;

const HopsQuery = z.object({
  after: integerParam("after", -1, Number.MAX_SAFE_INTEGER, -1),
  limit: integerParam("limit", 1, MAX_HOPS_PAGE, 100),
});

/** A page of hop records with hop > `after`, for the virtualized hop log. */
export async function GET(request: Request, ctx: RunRouteContext): Promise<Response> {
  const query = parseQuery(request, HopsQuery);
  if (query instanceof Response) return query;

  const run = await findRun(ctx);
  if (run instanceof Response) return run;

  return Response.json(getRunRegistry().hops(run.id, query.after, query.limit), {
    headers: { "cache-control": "no-store" },
  });
}
