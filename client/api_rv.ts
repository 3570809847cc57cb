/**
 * `ApiRv<T>`: what every `AsApi` call resolves to, like the Python client's `ApiRv`, but
 * keeping the server's own error text.
 *
 * @module
 */

import { ApiError } from "./errors.ts";
import type { AsError } from "./types.ts";

/** A successful call: the decoded body (`{}` for empty bodies) and the HTTP status. */
export interface ApiRvSuccess<T> {
  success: true;
  msg: T;
  httpStatusCode: number;
}

/**
 * A failed call. `msg.error` is the server's `{"error": "..."}` text when it sent one,
 * otherwise a description of what went wrong (network failure, timeout, bad body);
 * `httpStatusCode` is 0 when no response arrived.
 */
export interface ApiRvFailure {
  success: false;
  msg: AsError;
  httpStatusCode: number;
}

/** The result of an API call: never thrown, always returned. */
export type ApiRv<T> = ApiRvSuccess<T> | ApiRvFailure;

/**
 * Returns the body of a successful `ApiRv`, or throws an {@link ApiError} carrying the
 * status and the server's message, prefixed by `what` (e.g. `"Get organisation org-1"`).
 *
 * @example
 * ```ts
 * const orgs = unwrap(await api.getOrganisations(token), "List organisations");
 * ```
 */
export function unwrap<T>(rv: ApiRv<T>, what = "Account Server call"): T {
  if (rv.success) return rv.msg;
  const status = rv.httpStatusCode;
  const where = status === 0 ? "no response" : `HTTP ${status}`;
  throw new ApiError(`${what} failed (${where}): ${rv.msg.error}`, {
    status,
    serverMessage: rv.msg.error,
  });
}
