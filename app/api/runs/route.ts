import { z } from "zod";
import { getRunRegistry } from "@/lib/runs/registry";
import { integerParam, parseQuery } from "./_lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const ListQuery = z.object({ limit: integerParam("limit", 1, 500, 50) });

/** Run summaries, newest first. */
export async function GET(request: Request): Promise<Response> {
  const query = parseQuery(request, ListQuery);
  if (query instanceof Response) return query;

  return Response.json(getRunRegistry().list(query.limit), {
    headers: { "cache-control": "no-store" },
  });
}
