import "server-only";
import { maskAccessKeyId as maskRaw } from "@/lib/aws/mask-access-key-id";

const MASKED = /^[A-Z0-9]{4}…[A-Z0-9]{4}$/;

/**
 * The store's guard on every hop it keeps: masks an access key id as `ASIA…WXYZ` with lib/aws's
 * rule, but lets an already-masked id through unchanged (masking it again would give "…").
 *
 * @example maskAccessKeyId("ASIA…WXYZ") // "ASIA…WXYZ"
 */
export function maskAccessKeyId(value: string): string {
  return MASKED.test(value) ? value : maskRaw(value);
}
