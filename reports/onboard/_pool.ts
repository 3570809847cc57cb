/**
 * The bounded-concurrency map that onboarding uses for its look-ups and requests (private
 * to onboard/; reports/_pool.ts is the other pool, with a different failure rule).
 *
 * @module
 */

/**
 * Runs `fn` on every item with at most `limit` calls in flight; resolves to the results
 * in input order. A rejection of `fn` rejects the whole call after running work settles.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}
