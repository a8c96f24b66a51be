import { getRunRegistry } from "@/lib/runs/registry";
import { findRun, type RunRouteContext } from "../../_lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The hop log as CSV, streamed from the store as the client downloads it. */
export async function GET(_request: Request, ctx: RunRouteContext): Promise<Response> {
  const run = await findRun(ctx);
  if (run instanceof Response) return run;

  return new Response(getRunRegistry().csv(run.id), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="rolechain-${run.id}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
