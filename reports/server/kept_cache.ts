/**
 * A small in-memory cache of values that never go stale once kept (such as the change
 * table of two closed, reconciled periods), with one load in flight per key and a bound on
 * the number of entries (least recently used dropped first). Only values the caller says
 * may be kept are kept; a load that fails is never kept. It belongs to one server instance
 * (made by `createServerCaches`, never module state).
 *
 * @module
 */

/** A cache of values that stay valid once kept; see the module documentation. */
export interface KeptCache<V> {
  /**
   * The kept value of `key`, else the result of `load()` (shared with every caller that
   * asks for `key` while it runs), kept when `mayKeep(value)` is true.
   */
  get(key: string, load: () => Promise<V>, mayKeep: (value: V) => boolean): Promise<V>;
  /** How many values are kept now. */
  readonly size: number;
}

/** Creates an empty cache that keeps at most `maxEntries` values. */
export function createKeptCache<V>(maxEntries: number): KeptCache<V> {
  const bound = Math.max(1, maxEntries);
  const kept = new Map<string, V>();
  const inFlight = new Map<string, Promise<V>>();
  return {
    get(key, load, mayKeep) {
      if (kept.has(key)) {
        const value = kept.get(key) as V;
        // Most recently used last.
        kept.delete(key);
        kept.set(key, value);
        return Promise.resolve(value);
      }
      const running = inFlight.get(key);
      if (running) return running;
      const promise: Promise<V> = Promise.resolve().then(load).then((value) => {
        if (mayKeep(value)) {
          kept.set(key, value);
          while (kept.size > bound) kept.delete(kept.keys().next().value as string);
        }
        return value;
      }).finally(() => {
        if (inFlight.get(key) === promise) inFlight.delete(key);
      });
      inFlight.set(key, promise);
      return promise;
    },
    get size() {
      return kept.size;
    },
  };
}
