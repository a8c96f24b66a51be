import { notFound } from "next/navigation";
import { RunPage } from "@/components/run-page";
import { getRunRegistry } from "@/lib/runs/registry";

export const dynamic = "force-dynamic";

export default async function RunRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const summary = getRunRegistry().get(id);
  if (!summary) notFound();

  return <RunPage runId={summary.id} />;
}
