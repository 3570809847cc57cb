/**
 * Endpoint table, part 4: assets (reference §2.3). Creating and altering send
 * `multipart/form-data`. The spec says the two GETs answer 201, the Python client expects
 * 200: both are accepted. Enable, disable, attach and detach answer 204.
 *
 * @module
 */

import type { Endpoint } from "./endpoint_types.ts";

/** Asset endpoints. */
export const ASSET_ENDPOINTS = {
  getAvailableAssets: {
    route: "GET /asset",
    expect: [200, 201],
    request: "query",
    response: "AssetGetResponse",
    what: "Failed getting assets",
  },
  getAsset: {
    route: "GET /asset/{assetId}",
    expect: [200, 201],
    request: "none",
    response: "AssetDetail",
    what: "Failed getting asset",
  },
  createAsset: {
    route: "POST /asset",
    expect: [201],
    request: "multipart",
    response: "IdResponse",
    what: "Failed creating asset",
  },
  alterAsset: {
    route: "PATCH /asset/{assetId}",
    expect: [200],
    request: "multipart",
    response: "no body",
    what: "Failed altering asset",
  },
  deleteAsset: {
    route: "DELETE /asset/{assetId}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed deleting asset",
  },
  enableAsset: {
    route: "PATCH /asset/{assetId}/enable",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed enabling asset",
  },
  disableAsset: {
    route: "PATCH /asset/{assetId}/disable",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed disabling asset",
  },
  attachAsset: {
    route: "PATCH /asset/{assetId}/attach",
    expect: [204],
    request: "query",
    response: "no body",
    what: "Failed attaching asset",
  },
  detachAsset: {
    route: "PATCH /asset/{assetId}/detach",
    expect: [204],
    request: "query",
    response: "no body",
    what: "Failed detaching asset",
  },
} as const satisfies Record<string, Endpoint>;
