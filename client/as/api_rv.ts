/**
 * `ApiRv<T>`: what every `AsApi` call resolves to, like the Python client's `ApiRv`
 * (`success`, `msg`, `httpStatusCode`), but keeping the server's own error text and, on a
 * failure, the classified error behind it.
 *
 * @module
 */

import { ApiError, ProtocolError } from "../errors.ts";
import type { AsError } from "../types.ts";

/** A successful call: the validated body (`{}` for endpoints without one) and the status. */
export interface ApiRvSuccess<T> {
  /** Always `true`: the call succeeded. */
  success: true;
  /** The validated answer body (`{}` for endpoints documented without one). */
  msg: T;
  /** The HTTP status of the answer, e.g. 200 or 201. */
  httpStatusCode: number;
}

/**
 * A failed call. `msg.error` is the server's `{"error": "..."}` text when it sent one,
 * otherwise a description of what went wrong (network failure, timeout, a body that does
 * not fit its schema); `httpStatusCode` is 0 when no complete response arrived.
 *
 * `error` is the classified error behind the failure: a {@link TimeoutError}, a
 * {@link NetworkError}, an {@link ApiError} for an unexpected HTTP status, or a
 * {@link ProtocolError} for an answer that does not fit its schema. It is a
 * **non-enumerable** property, so `JSON.stringify(rv)`, `deepEqual` and logs of an `ApiRv`
 * look exactly as in the Python client; spreading (`{...rv}`) drops it. Hand-made values
 * (tests, fakes) may omit it.
 */
export interface ApiRvFailure {
  /** Always `false`: the call failed. */
  success: false;
  /** `{ error }`: the server's own error text, or a description of the failure. */
  msg: AsError;
  /** The HTTP status of the last complete answer; 0 when none arrived. */
  httpStatusCode: number;
  /** The classified error (non-enumerable; absent on hand-made values). */
  readonly error?: ApiError;
}

/** The result of an API call: never thrown, always returned. */
export type ApiRv<T> = ApiRvSuccess<T> | ApiRvFailure;

/** A successful `ApiRv`. */
export function rvSuccess<T>(msg: T, httpStatusCode: number): ApiRvSuccess<T> {
  return { success: true, msg, httpStatusCode };
}

/**
 * A failed `ApiRv` with `msg.error` set to `error` and, when given, the classified error
 * attached as the non-enumerable `error` property.
 */
export function rvFailure(httpStatusCode: number, error: string, cause?: ApiError): ApiRvFailure {
  const rv: ApiRvFailure = { success: false, msg: { error }, httpStatusCode };
  if (cause) {
    Object.defineProperty(rv, "error", {
      value: cause,
      enumerable: false,
      writable: false,
      configurable: true,
    });
  }
  return rv;
}

/**
 * Returns the body of a successful `ApiRv`, or throws.
 *
 * A failure from `AsApi` rethrows **the same error instance** it carries in `rv.error`, so
 * callers can test `instanceof TimeoutError`, `NetworkError`, `ProtocolError` or `ApiError`
 * and read its `status`, `url` or `path`. When `what` is given, the message of that error
 * is set to `"<what> failed (<HTTP status | no response | malformed answer>): <msg.error>"`
 * before it is thrown
 * (the same text as a hand-made failure gives), so the caller's context is in the message
 * without losing the class; the message is recomputed, not prefixed, so unwrapping the same
 * value twice does not repeat it. Without `what` the error keeps its own message, which
 * names the method and the endpoint.
 *
 * A failure without a classified error (built by hand, e.g. in a test or a fake client)
 * throws a new {@link ApiError} with that message, `status` and `serverMessage`.
 *
 * @example
 * ```ts
 * import { AsApi, tokenSourceFromEnv, unwrap } from "@squonk2/billing/client";
 *
 * const api = new AsApi();
 * const token = await tokenSourceFromEnv().getToken();
 * const orgs = unwrap(await api.getOrganisations(token), "List organisations");
 * console.log(orgs.count);
 * ```
 */
export function unwrap<T>(rv: ApiRv<T>, what?: string): T {
  if (rv.success) return rv.msg;
  const status = rv.httpStatusCode;
  const error = rv.error;
  // A malformed answer came with a success status: "(HTTP 200)" would read as if the
  // status were the problem, so it is called what it is.
  const where = error instanceof ProtocolError
    ? "malformed answer"
    : status === 0
    ? "no response"
    : `HTTP ${status}`;
  const message = `${what ?? "Account Server call"} failed (${where}): ${rv.msg.error}`;
  if (error) {
    if (what !== undefined) retitle(error, message);
    throw error;
  }
  throw new ApiError(message, { status, serverMessage: rv.msg.error });
}

/** Replaces an error's message, and the first line of its stack to match. */
function retitle(error: Error, message: string): void {
  const head = `${error.name}: ${error.message}`;
  const stack = error.stack;
  error.message = message;
  if (stack?.startsWith(head)) error.stack = `${error.name}: ${message}${stack.slice(head.length)}`;
}
