/**
 * One page view's Account Server reads, shared: the organisation page's chart and its
 * change card both read the organisation's charges of the chosen period and the one before
 * (`GET /charges/organisation/{id}?pbp=N`), and the card resolves the organisation and its
 * products the page has just listed. Within one view, identical reads are asked once.
 *
 * Only the client's `get*` methods are shared, keyed by method and arguments (the token
 * aside: the view uses the server's one token source); a call that carries an abort signal
 * is never shared (its caller may cancel it). Answers are shared objects: read-only, as the
 * validated answers always are. Nothing outlives the view: make one per request.
 *
 * @module
 */

/**
 * `api` with its `get*` reads shared for the lifetime of the returned object (one page
 * view); every other member is `api`'s own.
 */
export function sharedReads<A extends object>(api: A): A {
  const pending = new Map<string, unknown>();
  return new Proxy(api, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      if (typeof name !== "string" || !name.startsWith("get")) return value.bind(target);
      return (token: unknown, args?: Record<string, unknown>, ...rest: unknown[]) => {
        if (rest.length > 0 || (args !== undefined && args.signal !== undefined)) {
          return value.call(target, token, args, ...rest);
        }
        const key = `${name} ${stableJson(args ?? {})}`;
        if (!pending.has(key)) pending.set(key, value.call(target, token, args));
        return pending.get(key);
      };
    },
  });
}

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` are the same key. */
function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
}
