/**
 * Masks an access key id for display, logs and exports: first 4 + "…" + last 4
 * (`ASIA…WXYZ`). Ids too short to mask safely become "…".
 */
export function maskAccessKeyId(accessKeyId: string | undefined): string {
  if (!accessKeyId) return "";
  if (accessKeyId.length < 12) return "…";
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
