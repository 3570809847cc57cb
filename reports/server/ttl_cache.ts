/**
 * A small time-to-live cache with one load in flight per key (single-flight), for the
 * report server's Account Server listings. It belongs to one server instance (nothing here
 * is module state): `createReportServer` makes one per app.
 *
 * - A value is kept for `ttlMs` after its load finished; `ttlMs = 0` keeps nothing, but
 *   concurrent callers of one key still share one load.
 * - A load that fails (rejects) is never kept: every caller waiting on it gets the error,
 *   and the next call loads again.
 * - At most `maxEntries` values are kept; the oldest are dropped first.
 *
 * @module
 */

/** Options of {@link createTtlCache}. */
export interface TtlCacheOptions {
  /** How long a loaded value is served, in milliseconds; 0 disables keeping values. */
  ttlMs: number;
  /** Most values kept at once (oldest dropped first). @default 1000 */
  maxEntries?: number;
  /** A monotonic clock in milliseconds. @default performance.now */
  clock?: () => number;
}

/** A TTL cache with single-flight loads; see the module documentation. */
export interface TtlCache<V> {
  /**
   * The value of `key`: a kept one while fresh, else the result of `load()`, shared with
   * every caller that asks for `key` while it runs.
   */
  get(key: string, load: () => Promise<V>): Promise<V>;
  /** Forgets every kept value (loads in flight finish, but are not kept). */
  clear(): void;
  /** How many values are kept now (expired ones included until touched). */
  readonly size: number;
}

interface Kept<V> {
  value: V;
  expires: number;
}

/** Creates an empty cache; see {@link TtlCache}. */
export function createTtlCache<V>(options: TtlCacheOptions): TtlCache<V> {
  const ttlMs = Math.max(0, options.ttlMs);
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const clock = options.clock ?? (() => performance.now());
  const kept = new Map<string, Kept<V>>();
  const inFlight = new Map<string, Promise<V>>();
  let generation = 0;

  function keep(key: string, value: V): void {
    kept.delete(key);
    kept.set(key, { value, expires: clock() + ttlMs });
    while (kept.size > maxEntries) {
      const oldest = kept.keys().next().value as string;
      kept.delete(oldest);
    }
  }

  return {
    get(key, load) {
      const hit = kept.get(key);
      if (hit) {
        if (clock() < hit.expires) return Promise.resolve(hit.value);
        kept.delete(key);
      }
      const running = inFlight.get(key);
      if (running) return running;
      const started = generation;
      // Started on a later tick, so that a load that throws at once still settles here.
      const promise: Promise<V> = Promise.resolve().then(load).then((value) => {
        if (ttlMs > 0 && started === generation) keep(key, value);
        return value;
      }).finally(() => {
        if (inFlight.get(key) === promise) inFlight.delete(key);
      });
      inFlight.set(key, promise);
      return promise;
    },
    clear() {
      generation++;
      kept.clear();
    },
    get size() {
      return kept.size;
    },
  };
}
