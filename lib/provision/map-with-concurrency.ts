import "server-only";

/**
 * Runs `task` over `items` with at most `limit` in flight, in order of `items`. Stops taking
 * new items once `shouldStop()` says so; tasks already started finish. Tasks report their own
 * failures: a throw here is a bug and rejects the whole map.
 */
export async function mapWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
