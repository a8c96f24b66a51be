import { getRunRegistry } from "@/lib/runs/registry";
import { findRun, type RunRouteContext } from "../../_lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The graph folded on the server: a finished run of any length opens without a replay. */
export async function GET(_request: Request, ctx: RunRouteContext): Promise<Response> {
  const run = await findRun(ctx);
  if (run instanceof Response) return run;

  return Response.json(getRunRegistry().graph(run.id), {
    headers: { "cache-control": "no-store" },
  });
}
