/**
 * The shape of one entry of the AS endpoint table, and the types derived from an entry:
 * the path parameters its route names and the body type its answer is validated to.
 *
 * @module
 */

import type { EmptyResponse } from "../types.ts";
import type { ResponseName } from "./schemas.ts";
import type { AsResponseTypes } from "./types.ts";

/** HTTP verbs the AS uses. */
export type Verb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * How a request carries its arguments: `none` (path only), `query` (URL query string),
 * `json` (a JSON body), `multipart` (`multipart/form-data`, the asset endpoints).
 */
export type RequestEncoding = "none" | "query" | "json" | "multipart";

/** The answer of endpoints without a body: success is `{}` (Python parity). */
export type NoBody = "no body";

/** One AS endpoint, as data. */
export interface Endpoint {
  /**
   * Verb and path template below the base URL, octokit style: `"GET /unit/{unitId}"`.
   * Each `{name}` is replaced by the URL-encoded path parameter of that name.
   */
  readonly route: `${Verb} /${string}`;
  /** Statuses that mean success. */
  readonly expect: readonly number[];
  /** How the request carries its arguments. */
  readonly request: RequestEncoding;
  /** The response type every successful body must fit, or `"no body"`. */
  readonly response: ResponseName | NoBody;
  /** The Python client's failure text, used when the server gives none. */
  readonly what: string;
  /** False for the few endpoints called without an access token (default true). */
  readonly token?: false;
}

/** The names of the `{name}` parameters in a path template. */
export type PathParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParamNames<Rest>
  : never;

/** The path parameters of an endpoint: one string or number per `{name}` of its route. */
export type PathParams<E extends Endpoint> = Record<PathParamNames<E["route"]>, string | number>;

/**
 * The validated body type of an endpoint's successful answer: the generated interface of its
 * response type (client/as/types.ts), or {@link EmptyResponse} for `"no body"`.
 */
export type ResponseOf<E extends Endpoint> = E["response"] extends ResponseName
  ? AsResponseTypes[E["response"]]
  : EmptyResponse;
