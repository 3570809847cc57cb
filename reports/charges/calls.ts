/**
 * One place through which charge collection calls the AS: it fetches a token per call,
 * counts the requests (the benchmark compares the count with the minimum needed), honours
 * an abort signal and turns failures into {@link ApiError}s naming the call.
 *
 * @module
 */

import { type ApiRv, unwrap } from "../../client/as/api_rv.ts";
import type { AccessTokenSource } from "../../client/keycloak/token_source.ts";
import type { Limiter } from "../_pool.ts";

/** Calls the AS through a counting, unwrapping wrapper. */
export interface ApiCaller {
  /**
   * Runs `fn` with a fresh token and returns the body of a successful answer.
   *
   * @throws {ApiError} prefixed by `what` when the call fails.
   */
  call<T>(what: string, fn: (token: string) => Promise<ApiRv<T>>): Promise<T>;
  /** Like {@link ApiCaller.call} but returns the raw result, for calls allowed to fail. */
  try<T>(what: string, fn: (token: string) => Promise<ApiRv<T>>): Promise<ApiRv<T>>;
  /** Number of AS requests made so far (a retried request counts once). */
  count(): number;
}

/** Creates an {@link ApiCaller} over `tokens`, bounded by `limiter` when given. */
export function createApiCaller(
  tokens: AccessTokenSource,
  options: { signal?: AbortSignal; limiter?: Limiter } = {},
): ApiCaller {
  let requests = 0;
  const limit = options.limiter
    ? <T>(fn: () => Promise<T>) => options.limiter!.run(fn)
    : <T>(fn: () => Promise<T>) => fn();
  function attempt<T, R>(
    fn: (token: string) => Promise<ApiRv<T>>,
    then: (rv: ApiRv<T>) => R,
  ): Promise<R> {
    // The answer is judged inside the limiter, so a failure is known before the slot is
    // handed to the next request.
    return limit(async () => {
      options.signal?.throwIfAborted();
      const token = await tokens.getToken();
      options.signal?.throwIfAborted();
      requests++;
      return then(await fn(token));
    });
  }
  return {
    call(what, fn) {
      return attempt(fn, (rv) => unwrap(rv, what));
    },
    try(_what, fn) {
      return attempt(fn, (rv) => rv);
    },
    count: () => requests,
  };
}
