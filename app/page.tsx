import { Dashboard } from "@/components/dashboard";
import { getTarget } from "@/lib/aws";
import { listManagedRoles } from "@/lib/provision";
import { getRunRegistry } from "@/lib/runs/registry";

export const dynamic = "force-dynamic";

const DEFAULT_ROLE_SET = { path: "/rolechain/", prefix: "rolechain-" };

async function countManagedRoles(): Promise<number | null> {
  try {
    return (await listManagedRoles(await getTarget(), DEFAULT_ROLE_SET)).length;
  } catch (error) {
    // The header already says why the target is unavailable; the count shows "unknown".
    console.error("managed roles unavailable", error);
    return null;
  }
}

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { run } = await searchParams;
  const registry = getRunRegistry();
  const asked = typeof run === "string" && registry.get(run)?.kind === "chain" ? run : null;
  const recent = registry.list(20);
  const newestChain = recent.find((summary) => summary.kind === "chain")?.id ?? null;
  const chainRunId = asked ?? newestChain;
  const chainSummary = chainRunId ? registry.get(chainRunId) : undefined;
  // The page opens on what the server knows (status, hops, graph), not on "loading" with 0 hops.
  const initialChainRun = chainSummary
    ? { summary: chainSummary, graph: registry.graph(chainSummary.id) }
    : null;
  // A provisioning still at work after a reload keeps its progress bar.
  const liveProvision =
    recent.find((summary) => summary.kind !== "chain" && summary.status === "running")?.id ?? null;
  return (
    <Dashboard
      initialChainRunId={chainRunId}
      initialChainRun={initialChainRun}
      initialProvisionRunId={liveProvision}
      managedRoles={await countManagedRoles()}
    />
  );
}
