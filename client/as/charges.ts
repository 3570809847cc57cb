/**
 * `AsApi` charge methods. Every one takes the same period arguments: `from` (inclusive),
 * `until` (exclusive), each a `Date` or `YYYY-MM-DD`, or `pbp` (0 = current period, −1 the
 * one before, down to −23). Without any, the server returns the current billing period.
 * Bad values are a `UsageError` before any request (see `client/periods.ts`).
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import { type PeriodOptions, periodQuery } from "../periods.ts";
import type {
  ChargesGetResponse,
  OrganisationChargesGetResponse,
  ProductChargesGetResponse,
  UnitChargesGetResponse,
} from "../types.ts";
import { type CallOptions, callOpts, path, requireText, requireToken } from "./args.ts";
import { AsProductsApi } from "./products.ts";

/** Charge methods. Use `AsApi`. */
export class AsChargesApi extends AsProductsApi {
  /** Charges of one product: processing and storage items (`GET /charges/product/{productId}`). */
  async getProductCharges(
    token: string,
    options: { productId: string } & PeriodOptions & CallOptions,
  ): Promise<ApiRv<ProductChargesGetResponse>> {
    const productId = requireText(options?.productId, {
      name: "productId",
      method: "getProductCharges",
    });
    const query = periodQuery(options);
    return await this.call(requireToken(token, "getProductCharges"), {
      ...callOpts(options),
      method: "GET",
      path: path`/charges/product/${productId}`,
      query: { ...query },
      expect: [200],
      what: "Failed getting product charges",
    });
  }

  /** Charges of one unit, summarised per product (`GET /charges/unit/{unitId}`). */
  async getUnitCharges(
    token: string,
    options: { unitId: string } & PeriodOptions & CallOptions,
  ): Promise<ApiRv<UnitChargesGetResponse>> {
    const unitId = requireText(options?.unitId, { name: "unitId", method: "getUnitCharges" });
    const query = periodQuery(options);
    return await this.call(requireToken(token, "getUnitCharges"), {
      ...callOpts(options),
      method: "GET",
      path: path`/charges/unit/${unitId}`,
      query: { ...query },
      expect: [200],
      what: "Failed getting unit charges",
    });
  }

  /** Charges of one organisation, summarised per unit (`GET /charges/organisation/{orgId}`). */
  async getOrganisationCharges(
    token: string,
    options: { orgId: string } & PeriodOptions & CallOptions,
  ): Promise<ApiRv<OrganisationChargesGetResponse>> {
    const orgId = requireText(options?.orgId, { name: "orgId", method: "getOrganisationCharges" });
    const query = periodQuery(options);
    return await this.call(requireToken(token, "getOrganisationCharges"), {
      ...callOpts(options),
      method: "GET",
      path: path`/charges/organisation/${orgId}`,
      query: { ...query },
      expect: [200],
      what: "Failed getting organisation charges",
    });
  }

  /** Charges of every organisation (`GET /charges`, admin only; no Python equivalent). */
  async getCharges(
    token: string,
    options: PeriodOptions & CallOptions = {},
  ): Promise<ApiRv<ChargesGetResponse>> {
    const query = periodQuery(options);
    return await this.call(requireToken(token, "getCharges"), {
      ...callOpts(options),
      method: "GET",
      path: "/charges",
      query: { ...query },
      expect: [200],
      what: "Failed getting charges",
    });
  }
}
