import type { RunEvent } from "@/lib/runs/types";

const EVENT_TYPES = new Set(["hop", "progress", "status"]);

/** What an EventSource listener receives that matters here. */
export interface SseMessage {
  type: string;
  data: string;
  lastEventId: string;
}

/** The stream's `data` is one JSON object: the event's data, or the whole event. */
export function toRunEvent(runId: string, message: SseMessage): RunEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.data);
  } catch {
    // Our server writes one JSON line per event; anything else is not an event to fold, and
    // dropping it loses nothing the store does not still hold for a reload.
    return null;
  }
  const whole = parsed as Partial<RunEvent> | null;
  if (whole && typeof whole.seq === "number" && whole.type && "data" in whole) {
    return whole as RunEvent;
  }
  // Number("") is 0: only digits are a sequence number.
  if (!/^\d{1,15}$/.test(message.lastEventId)) return null;
  if (!EVENT_TYPES.has(message.type)) return null;
  const seq = Number(message.lastEventId);
  const type = message.type as RunEvent["type"];
  return { seq, runId, type, data: parsed } as RunEvent;
}
