import "server-only";

const MASKED = /^[A-Z0-9]{4}…[A-Z0-9]{4}$/;

/**
 * Masks an access key id as `ASIA…WXYZ` (first 4 + "…" + last 4). Already-masked and empty
 * values pass through; anything too short to mask safely becomes "…".
 *
 * @example maskAccessKeyId("ASIAEXAMPLE1234WXYZ") // "ASIA…WXYZ"
 */
export function maskAccessKeyId(value: string): string {
  if (value === "" || MASKED.test(value)) return value;
  if (value.length < 12) return "…";
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}
