/**
 * The types of charge collection: the narrow slice of the AS client it uses
 * ({@link ChargesApi}, which `AsApi` satisfies), what to collect, and the options.
 *
 * @module
 */

import type { ApiRv } from "../../client/as/api_rv.ts";
import type { AccessTokenSource } from "../../client/keycloak/token_source.ts";
import type {
  ChargesGetResponse,
  OrganisationAllDetail,
  OrganisationChargesGetResponse,
  OrganisationsGetResponse,
  ProductChargesGetResponse,
  ProductsGetResponse,
  ProductUnitGetResponse,
  UnitChargesGetResponse,
  UnitsGetResponse,
} from "../../client/types.ts";
import type { ScopeKind } from "./model.ts";

export type { PeriodRequest } from "./periods.ts";

/** Period query parameters of the four charge endpoints, and the caller's abort signal. */
export interface PeriodQuery {
  /** Prior billing period, -23..0 (0 = current); not with `from`/`until`. */
  pbp?: number;
  /** First day, `YYYY-MM-DD` inclusive (with `until`). */
  from?: string;
  /** First day after the range, `YYYY-MM-DD` exclusive (with `from`). */
  until?: string;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** The AS client methods charge collection calls; `AsApi` (client/as/api.ts) satisfies it. */
export interface ChargesApi {
  /** `GET /organisation`. */
  getOrganisations(
    token: string,
    options?: { orgName?: string },
  ): Promise<ApiRv<OrganisationsGetResponse>>;
  /** `GET /organisation/{id}`. */
  getOrganisation(token: string, options: { orgId: string }): Promise<ApiRv<OrganisationAllDetail>>;
  /** `GET /unit`: units grouped by organisation. */
  getUnits(token: string, options?: { unitName?: string }): Promise<ApiRv<UnitsGetResponse>>;
  /** `GET /product`. */
  getAvailableProducts(token: string): Promise<ApiRv<ProductsGetResponse>>;
  /** `GET /product/unit/{id}`. */
  getProductsForUnit(
    token: string,
    options: { unitId: string },
  ): Promise<ApiRv<ProductsGetResponse>>;
  /** `GET /product/organisation/{id}`. */
  getProductsForOrganisation(
    token: string,
    options: { orgId: string },
  ): Promise<ApiRv<ProductsGetResponse>>;
  /** `GET /product/{id}`. */
  getProduct(token: string, options: { productId: string }): Promise<ApiRv<ProductUnitGetResponse>>;
  /** `GET /charges/product/{id}`. */
  getProductCharges(
    token: string,
    options: { productId: string } & PeriodQuery,
  ): Promise<ApiRv<ProductChargesGetResponse>>;
  /** `GET /charges/unit/{id}`. */
  getUnitCharges(
    token: string,
    options: { unitId: string } & PeriodQuery,
  ): Promise<ApiRv<UnitChargesGetResponse>>;
  /** `GET /charges/organisation/{id}`. */
  getOrganisationCharges(
    token: string,
    options: { orgId: string } & PeriodQuery,
  ): Promise<ApiRv<OrganisationChargesGetResponse>>;
  /** `GET /charges` (admins only). */
  getCharges(token: string, options?: PeriodQuery): Promise<ApiRv<ChargesGetResponse>>;
  /**
   * True when any answer came from the sandbox (its `X-Squonk2-Sandbox` header): the
   * reports are then marked as sandbox data even without `sandbox: true`. Optional for fakes.
   */
  answeredBySandbox?(): boolean;
}

/** Where charges come from. */
export interface CollectContext {
  /** The AS client (or anything with the same charge methods). */
  api: ChargesApi;
  /** Access tokens for the AS. */
  tokens: AccessTokenSource;
  /** The AS base URL, stated in every report. */
  sourceUrl: string;
  /**
   * True when `api` talks to the sandbox: every report then says SANDBOX DATA. Reports are
   * marked too when the api saw a sandbox answer (`answeredBySandbox()`), whatever this says.
   */
  sandbox: boolean;
}

/** What to export: a scope kind and, except for `all`, an id or exact name. */
export interface ScopeRequest {
  /** Organisation, unit, product, or `all` (everything the account can see). */
  kind: ScopeKind;
  /** An id or exact name; none for `all`. */
  ref?: string;
}

/** Options of charge collection. */
export interface CollectOptions {
  /** Most requests in flight at once. @default 16 */
  concurrency?: number;
  /** Called as charge requests complete (resolution requests are not counted). */
  onProgress?: (done: number, total: number) => void;
  /** Stops issuing requests once aborted. */
  signal?: AbortSignal;
  /** The clock, for `generatedAt` and for the period of a scope without any product. */
  now?: () => Date;
  /**
   * Keep the rows in a temporary file instead of memory, so that memory stays bounded
   * whatever the row count (`true`, or where to put the file). The reports' `rows` are
   * then read back from the file on each iteration (synchronously or not) and are not an
   * array; call the result's `close()` once they are written out: the file, which holds
   * charge rows only, is removed (on POSIX systems it has no name from the start, so
   * nothing is left behind even by a killed process). Totals and reconciliation are the
   * same either way. @default false (rows in memory, an array)
   */
  spool?: boolean | { dir?: string };
}
