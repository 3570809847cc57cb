/**
 * `AsApi` methods for products and product types.
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import type {
  EmptyResponse,
  FlavourEnum,
  IdResponse,
  ProductsGetDefaultStorageCost,
  ProductsGetResponse,
  ProductsGetTypesResponse,
  ProductTypeEnum,
  ProductUnitGetResponse,
} from "../types.ts";
import {
  type CallOptions,
  callOpts,
  defined,
  path,
  requireInt,
  requireOneOf,
  requireText,
  requireToken,
} from "./args.ts";
import { AsUnitsApi } from "./units.ts";

const PRODUCT_TYPES: readonly ProductTypeEnum[] = [
  "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
  "DATA_MANAGER_STORAGE_SUBSCRIPTION",
];

/** Product methods. Use `AsApi`. */
export class AsProductsApi extends AsUnitsApi {
  /** Products you have access to (`GET /product`). */
  async getAvailableProducts(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<ProductsGetResponse>> {
    return await this.call(requireToken(token, "getAvailableProducts"), {
      ...callOpts(options),
      method: "GET",
      path: "/product",
      expect: [200],
      what: "Failed getting products",
    });
  }

  /** One product; the data is at `msg.product.product` and `msg.product.coins` (`GET /product/{id}`). */
  async getProduct(
    token: string,
    options: { productId: string } & CallOptions,
  ): Promise<ApiRv<ProductUnitGetResponse>> {
    const productId = requireText(options?.productId, { name: "productId", method: "getProduct" });
    return await this.call(requireToken(token, "getProduct"), {
      ...callOpts(options),
      method: "GET",
      path: path`/product/${productId}`,
      expect: [200],
      what: "Failed getting product",
    });
  }

  /** The default storage cost (`GET /product-default-storage-cost`). */
  async getProductDefaultStorageCost(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<ProductsGetDefaultStorageCost>> {
    return await this.call(requireToken(token, "getProductDefaultStorageCost"), {
      ...callOpts(options),
      method: "GET",
      path: "/product-default-storage-cost",
      expect: [200],
      what: "Failed getting product default storage cost",
    });
  }

  /** Known product types (`GET /product-type`). */
  async getProductTypes(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<ProductsGetTypesResponse>> {
    return await this.call(requireToken(token, "getProductTypes"), {
      ...callOpts(options),
      method: "GET",
      path: "/product-type",
      expect: [200],
      what: "Failed getting product types",
    });
  }

  /** Products of a unit (`GET /product/unit/{unitId}`). */
  async getProductsForUnit(
    token: string,
    options: { unitId: string } & CallOptions,
  ): Promise<ApiRv<ProductsGetResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "getProductsForUnit" });
    return await this.call(requireToken(token, "getProductsForUnit"), {
      ...callOpts(options),
      method: "GET",
      path: path`/product/unit/${unitId}`,
      expect: [200],
      what: "Failed getting products for unit",
    });
  }

  /** Products of an organisation (`GET /product/organisation/{orgId}`). */
  async getProductsForOrganisation(
    token: string,
    options: { orgId: string } & CallOptions,
  ): Promise<ApiRv<ProductsGetResponse>> {
    const orgId = requireText(options?.orgId, {
      name: "orgId",
      method: "getProductsForOrganisation",
    });
    return await this.call(requireToken(token, "getProductsForOrganisation"), {
      ...callOpts(options),
      method: "GET",
      path: path`/product/organisation/${orgId}`,
      expect: [200],
      what: "Failed getting products for organisation",
    });
  }

  /**
   * Creates a product in a unit (`POST /product/unit/{unitId}`). Like the Python client,
   * `flavour` is sent only when non-empty and `allowance`/`limit` only when non-zero
   * (storage subscriptions need an allowance; project tiers need a flavour instead).
   */
  async createProduct(
    token: string,
    options:
      & {
        productName: string;
        unitId: string;
        productType: ProductTypeEnum;
        allowance?: number;
        limit?: number;
        flavour?: FlavourEnum | "";
      }
      & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const name = requireText(options?.productName, {
      name: "productName",
      method: "createProduct",
    });
    const unitId = requireText(options.unitId, { name: "unitId", method: "createProduct" });
    const type = requireOneOf(options.productType, {
      allowed: PRODUCT_TYPES,
      name: "productType",
      method: "createProduct",
    });
    const allowance = optionalCoins(options.allowance, "allowance", "createProduct");
    const limit = optionalCoins(options.limit, "limit", "createProduct");
    return await this.call(requireToken(token, "createProduct"), {
      ...callOpts(options),
      method: "POST",
      path: path`/product/unit/${unitId}`,
      json: defined({
        name,
        type,
        flavour: options.flavour || undefined,
        allowance: allowance || undefined,
        limit: limit || undefined,
      }),
      expect: [201],
      what: "Failed to create product",
    });
  }

  /** Renames a product or raises its allowance or limit (`PATCH /product/{productId}`). */
  async alterProduct(
    token: string,
    options:
      & { productId: string; productName?: string; allowance?: number; limit?: number }
      & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const productId = requireText(options?.productId, {
      name: "productId",
      method: "alterProduct",
    });
    return await this.call(requireToken(token, "alterProduct"), {
      ...callOpts(options),
      method: "PATCH",
      path: path`/product/${productId}`,
      json: defined({
        name: options.productName,
        allowance: optionalCoins(options.allowance, "allowance", "alterProduct"),
        limit: optionalCoins(options.limit, "limit", "alterProduct"),
      }),
      expect: [200],
      empty: true,
      what: "Failed to alter product",
    });
  }

  /** Deletes a product (`DELETE /product/{productId}`; a claimed product must be unclaimed first). */
  async deleteProduct(
    token: string,
    options: { productId: string } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const productId = requireText(options?.productId, {
      name: "productId",
      method: "deleteProduct",
    });
    return await this.call(requireToken(token, "deleteProduct"), {
      ...callOpts(options),
      method: "DELETE",
      path: path`/product/${productId}`,
      expect: [204],
      empty: true,
      what: "Failed to delete product",
    });
  }
}

function optionalCoins(value: unknown, name: string, method: string): number | undefined {
  return value === undefined ? undefined : requireInt(value, { name, method, min: 0 });
}
