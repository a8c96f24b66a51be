/** An HTTP answer that was not 2xx, with the API's `{ error: { code, message } }` if it sent one. */
export class FetchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

/** GET a JSON document from our own API; a non-2xx answer becomes a `FetchError`. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { cache: "no-store", ...init });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new FetchError(
      response.status,
      body?.error?.code ?? `HTTP${response.status}`,
      body?.error?.message ?? `${url} answered ${response.status}`,
    );
  }
  return (await response.json()) as T;
}

/** The hops route answers a page; accept a bare array or an object holding one. */
export function toHopPage<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const holder = body as { hops?: unknown; items?: unknown } | null;
  if (Array.isArray(holder?.hops)) return holder.hops as T[];
  if (Array.isArray(holder?.items)) return holder.items as T[];
  return [];
}
