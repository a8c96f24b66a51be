import { findRun, type RunRouteContext } from "../_lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(_request: Request, ctx: RunRouteContext): Promise<Response> {
  const run = await findRun(ctx);
  if (run instanceof Response) return run;

  return Response.json(run, { headers: { "cache-control": "no-store" } });
}
