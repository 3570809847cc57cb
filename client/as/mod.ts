/**
 * The Account Server client: `AsApi`, a typed, fetch-only client for every Squonk2 Account
 * Server method of the Python client (camelCase), plus `getActions` and `getCharges`.
 *
 * Every call resolves to an {@link ApiRv}: it never throws for HTTP, network or protocol
 * failures, keeps the server's `{"error"}` text in `msg.error`, has `httpStatusCode` 0 when
 * no response arrived, and carries the classified error of a failure in the
 * non-enumerable `rv.error` (`TimeoutError`, `NetworkError`, `ApiError`, or
 * `ProtocolError` for an answer that does not fit its schema). Every answer body is
 * validated against the AS 4.4 schema of its endpoint before it is returned. Invalid
 * arguments (a missing id, a bad `pbp`) throw a `UsageError` before any request. GET, PUT
 * and DELETE are retried on 408, 429, 500, 502, 503, 504, timeouts and network errors;
 * POST and PATCH are sent exactly once.
 *
 * @example
 * ```ts
 * import { AsApi, tokenSourceFromEnv, unwrap } from "@squonk2/billing/client";
 *
 * const api = new AsApi(); // SQUONK2_ASAPI_URL
 * const token = await tokenSourceFromEnv().getToken();
 * const rv = await api.getProductCharges(token, { productId: "product-…", pbp: -1 });
 * if (!rv.success) console.error(rv.httpStatusCode, rv.msg.error);
 * const charges = unwrap(rv, "Get product charges"); // throws rv.error, e.g. a ProtocolError
 * ```
 *
 * @module
 */

export {
  type AlterOptions,
  AsApi,
  type AssetMerchantOptions,
  type AssetOptions,
  type OrgOptions,
  type ProductOptions,
  type UnitOptions,
} from "./api.ts";
export type { AsApiOptions } from "./options.ts";
export type { CallOptions } from "./args.ts";
export type { AssetContent } from "./asset_form.ts";
export type { ActionFilters, NewAsset, NewProduct } from "./requests.ts";
export type * from "../types.ts";
export { type ApiRv, type ApiRvFailure, type ApiRvSuccess, unwrap } from "./api_rv.ts";
export {
  ApiError,
  type ApiErrorDetails,
  BillingError,
  type BillingErrorOptions,
  ConfigError,
  NetworkError,
  ProtocolError,
  type ProtocolErrorDetails,
  TimeoutError,
  UsageError,
} from "../errors.ts";
export type { PeriodOptions } from "./periods.ts";
export type { EnvLookup } from "../env.ts";
export type { BackoffOptions } from "../transport/retry.ts";
export type { SleepFn } from "../transport/timeout.ts";
