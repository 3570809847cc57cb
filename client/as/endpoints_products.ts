/**
 * Endpoint table, part 3: products and charges (reference §2.5, §2.6). The charge
 * endpoints take the period as query parameters (`from`, `until`, `pbp`).
 *
 * @module
 */

import type { Endpoint } from "./endpoint_types.ts";

/** Product and charge endpoints. */
export const PRODUCT_ENDPOINTS = {
  getAvailableProducts: {
    route: "GET /product",
    expect: [200],
    request: "none",
    response: "ProductsGetResponse",
    what: "Failed getting products",
  },
  getProduct: {
    route: "GET /product/{productId}",
    expect: [200],
    request: "none",
    response: "ProductUnitGetResponse",
    what: "Failed getting product",
  },
  getProductDefaultStorageCost: {
    route: "GET /product-default-storage-cost",
    expect: [200],
    request: "none",
    response: "ProductsGetDefaultStorageCost",
    what: "Failed getting product default storage cost",
  },
  getProductTypes: {
    route: "GET /product-type",
    expect: [200],
    request: "none",
    response: "ProductsGetTypesResponse",
    what: "Failed getting product types",
  },
  getProductsForUnit: {
    route: "GET /product/unit/{unitId}",
    expect: [200],
    request: "none",
    response: "ProductsGetResponse",
    what: "Failed getting products for unit",
  },
  getProductsForOrganisation: {
    route: "GET /product/organisation/{orgId}",
    expect: [200],
    request: "none",
    response: "ProductsGetResponse",
    what: "Failed getting products for organisation",
  },
  createProduct: {
    route: "POST /product/unit/{unitId}",
    expect: [201],
    request: "json",
    response: "IdResponse",
    what: "Failed to create product",
  },
  alterProduct: {
    route: "PATCH /product/{productId}",
    expect: [200],
    request: "json",
    response: "no body",
    what: "Failed to alter product",
  },
  deleteProduct: {
    route: "DELETE /product/{productId}",
    expect: [204],
    request: "none",
    response: "no body",
    what: "Failed to delete product",
  },
  getProductCharges: {
    route: "GET /charges/product/{productId}",
    expect: [200],
    request: "query",
    response: "ProductChargesGetResponse",
    what: "Failed getting product charges",
  },
  getUnitCharges: {
    route: "GET /charges/unit/{unitId}",
    expect: [200],
    request: "query",
    response: "UnitChargesGetResponse",
    what: "Failed getting unit charges",
  },
  getOrganisationCharges: {
    route: "GET /charges/organisation/{orgId}",
    expect: [200],
    request: "query",
    response: "OrganisationChargesGetResponse",
    what: "Failed getting organisation charges",
  },
  getCharges: {
    route: "GET /charges",
    expect: [200],
    request: "query",
    response: "ChargesGetResponse",
    what: "Failed getting charges",
  },
} as const satisfies Record<string, Endpoint>;
