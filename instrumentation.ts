/**
 * Runs once when the Next server starts, before it answers a request. On the Node.js runtime it
 * opens the run registry (so runs a crash left `running` become `interrupted` at once, not when
 * someone first opens the page) and warms up the target (the embedded sandbox starts here).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;

  const { getRunRegistry } = await import("@/lib/runs/registry");
  getRunRegistry();

  const { getTarget } = await import("@/lib/aws");
  try {
    await getTarget();
  } catch (error) {
    // The server still starts: the page header says why the target is unavailable, and the
    // next request tries again (a failed start is not memoized).
    console.error(JSON.stringify({ event: "target.unavailable", code: codeOf(error) }), error);
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "Unknown";
}
