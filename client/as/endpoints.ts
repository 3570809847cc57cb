/**
 * The AS endpoint table, in the style of octokit's: for every `AsApi` method, its verb and
 * path template, the statuses meaning success, how the request is encoded, the response
 * type its body is validated against (or `"no body"`), and the Python client's failure
 * text. One generic caller (`caller.ts`) runs any entry; `AsApi` methods only check their
 * arguments and name their entry.
 *
 * It covers the 52 request methods of the Python client's `AsApi` (its `get_api_url` and
 * `set_api_url` are local) plus `getActions` and `getCharges`.
 *
 * @module
 */

import type { Endpoint } from "./endpoint_types.ts";
import { ASSET_ENDPOINTS } from "./endpoints_assets.ts";
import { META_ENDPOINTS } from "./endpoints_meta.ts";
import { ORG_ENDPOINTS } from "./endpoints_orgs.ts";
import { PRODUCT_ENDPOINTS } from "./endpoints_products.ts";

/** Every AS endpoint by `AsApi` method name. */
export const ENDPOINTS = {
  ...META_ENDPOINTS,
  ...ORG_ENDPOINTS,
  ...PRODUCT_ENDPOINTS,
  ...ASSET_ENDPOINTS,
} as const satisfies Record<string, Endpoint>;

/** The name of an `AsApi` method that calls an endpoint, e.g. `"getProductCharges"`. */
export type EndpointName = keyof typeof ENDPOINTS;
