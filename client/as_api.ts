/**
 * `AsApi`: a typed, fetch-only client for every Squonk2 Account Server method of the
 * Python client (camelCase), plus `getActions` and `getCharges`.
 *
 * Every call resolves to an {@link ApiRv}: it never throws for HTTP or network failures,
 * keeps the server's `{"error"}` text in `msg.error`, and has `httpStatusCode` 0 when no
 * response arrived. Invalid arguments (a missing id, a bad `pbp`) throw a `UsageError`
 * before any request. GET, PUT and DELETE are retried on 408/429/5xx and network errors;
 * POST and PATCH are sent exactly once.
 *
 * @example
 * ```ts
 * import { AsApi, tokenSourceFromEnv, unwrap } from "./mod.ts";
 *
 * const api = new AsApi(); // SQUONK2_ASAPI_URL
 * const token = await tokenSourceFromEnv().getToken();
 * const rv = await api.getProductCharges(token, { productId: "product-…", pbp: -1 });
 * if (!rv.success) console.error(rv.httpStatusCode, rv.msg.error);
 * const charges = unwrap(rv, "Get product charges");
 * ```
 *
 * @module
 */

import { AsAssetsApi } from "./as/assets.ts";

export type { AsApiOptions } from "./as/core.ts";
export type { CallOptions } from "./as/args.ts";
export type { AssetContent } from "./as/asset_form.ts";
export type { PeriodOptions } from "./periods.ts";
export type { EnvLookup } from "./config.ts";
export type { BackoffOptions } from "./retry.ts";
export type { SleepFn } from "./timeout.ts";

/**
 * The Account Server client. Construct with `new AsApi(options?)`; defaults come from
 * `SQUONK2_ASAPI_URL`, `SQUONK2_ASAPI_VERIFY_SSL_CERT` and `SQUONK2_API_DEBUG_REQUESTS`.
 * Methods are grouped by resource in `client/as/*.ts`.
 */
export class AsApi extends AsAssetsApi {}
