/**
 * Argument checks and request bodies of the `AsApi` methods that take more than ids:
 * privacy values, product bodies, the action filters, the asset forms. A bad argument is
 * a {@link UsageError} thrown before any request.
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { QueryParams } from "../transport/http_body.ts";
import { type PeriodOptions, periodQuery } from "./periods.ts";
import type {
  EventStreamFormat,
  FlavourEnum,
  PrivacyEnum,
  ProductTypeEnum,
  ScopeEnum,
} from "../types.ts";
import { defined, requireInt, requireOneOf, requireText } from "./args.ts";
import { type AssetContent, assetForm } from "./asset_form.ts";

/** The four default-product-privacy values. */
export const PRIVACY_VALUES: readonly PrivacyEnum[] = [
  "ALWAYS_PUBLIC",
  "ALWAYS_PRIVATE",
  "DEFAULT_PUBLIC",
  "DEFAULT_PRIVATE",
];

const FORMATS: readonly EventStreamFormat[] = ["PROTOCOL_STRING", "JSON_STRING"];
const PRODUCT_TYPES: readonly ProductTypeEnum[] = [
  "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
  "DATA_MANAGER_STORAGE_SUBSCRIPTION",
];
const SCOPES: readonly ScopeEnum[] = ["USER", "PRODUCT", "UNIT", "ORGANISATION", "GLOBAL"];

/** Checks an optional privacy value; `undefined` stays `undefined`. */
export function checkPrivacy(value: unknown, method: string): PrivacyEnum | undefined {
  if (value === undefined) return undefined;
  return requireOneOf(value, { allowed: PRIVACY_VALUES, name: "defaultProductPrivacy", method });
}

/** Checks an optional event-stream or action format; `undefined` stays `undefined`. */
export function checkFormat(
  value: unknown,
  where: { name: string; method: string },
): EventStreamFormat | undefined {
  if (value === undefined) return undefined;
  return requireOneOf(value, { allowed: FORMATS, ...where });
}

/** Options of `getActions`. */
export interface ActionFilters {
  /** First day, inclusive. */
  from?: Date | string;
  /** Day after the last, exclusive. */
  until?: Date | string;
  /** Only actions of this merchant. */
  merchantId?: number;
  /** Only actions of this product. */
  productId?: string;
  /** Only actions of this unit. */
  unitId?: string;
  /** Only actions of this organisation. */
  orgId?: string;
  /** Content format (default `PROTOCOL_STRING`). */
  actionFormat?: EventStreamFormat;
}

/**
 * The query of `GET /action`: the period, the format, and at most one filter.
 *
 * @throws {UsageError} for bad dates, more than one filter or a bad merchant id.
 */
export function actionsQuery(options: ActionFilters): QueryParams {
  const period = periodQuery({ from: options.from, until: options.until });
  const filters = [options.merchantId, options.productId, options.unitId, options.orgId]
    .filter((v) => v !== undefined && v !== "");
  if (filters.length > 1) {
    throw new UsageError(
      `AsApi.getActions got ${filters.length} filters: give at most one of merchantId, ` +
        `productId, unitId, orgId`,
    );
  }
  const mId = options.merchantId === undefined
    ? undefined
    : requireInt(options.merchantId, { name: "merchantId", method: "getActions", min: 1 });
  const format = checkFormat(options.actionFormat ?? "PROTOCOL_STRING", {
    name: "actionFormat",
    method: "getActions",
  });
  return {
    ...period,
    format,
    m_id: mId,
    product_id: options.productId || undefined,
    unit_id: options.unitId || undefined,
    org_id: options.orgId || undefined,
  };
}

/** The query of a charges call: `from`, `until`, `pbp` (checked by `client/periods.ts`). */
export function chargesQuery(options: PeriodOptions): QueryParams {
  return { ...periodQuery(options) };
}

/** Options of `createProduct`. */
export interface NewProduct {
  /** The product's name. */
  productName: string;
  /** The unit it belongs to. */
  unitId: string;
  /** Storage subscription or project tier. */
  productType: ProductTypeEnum;
  /** Coin allowance (storage subscriptions); sent only when non-zero. */
  allowance?: number;
  /** Coin limit; sent only when non-zero. */
  limit?: number;
  /** Flavour (project tiers); sent only when non-empty. */
  flavour?: FlavourEnum | "";
}

/**
 * The body of `POST /product/unit/{unitId}` like the Python client's: `flavour` only when
 * non-empty, `allowance` and `limit` only when non-zero.
 *
 * @throws {UsageError} for a missing name or unit, an unknown type, a negative amount.
 */
export function newProductBody(options: NewProduct): { unitId: string; json: unknown } {
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
  const json = defined({
    name,
    type,
    flavour: options.flavour || undefined,
    allowance: allowance || undefined,
    limit: limit || undefined,
  });
  return { unitId, json };
}

/** Checks an optional whole number of coins (≥ 0); `undefined` stays `undefined`. */
export function optionalCoins(value: unknown, name: string, method: string): number | undefined {
  return value === undefined ? undefined : requireInt(value, { name, method, min: 0 });
}

/** Options of `createAsset`. */
export type NewAsset = {
  /** The asset's name (`^[a-z0-9-]{1,63}$`). */
  name: string;
  /** Its scope. */
  scope: ScopeEnum;
  /** A description. */
  description?: string;
  /** The id of the scope (needed except for `GLOBAL` and `USER`). */
  scopeId?: string;
  /** Whether the content is secret (not shown by later GETs). */
  isSecret?: boolean;
} & AssetContent;

/**
 * The multipart form of `POST /asset`.
 *
 * @throws {UsageError} for a missing name, a bad scope, a scope without its id, or not
 *   exactly one of `contentString` and `contentFile`.
 */
export async function newAssetForm(options: NewAsset): Promise<FormData> {
  const name = requireText(options?.name, { name: "name", method: "createAsset" });
  const scope = requireOneOf(options.scope, {
    allowed: SCOPES,
    name: "scope",
    method: "createAsset",
  });
  if (!options.scopeId && scope !== "GLOBAL" && scope !== "USER") {
    throw new UsageError(
      `AsApi.createAsset got scope "${scope}" without scopeId: pass the ${scope.toLowerCase()} id`,
    );
  }
  if ((options.contentString === undefined) === (options.contentFile === undefined)) {
    throw new UsageError(
      `AsApi.createAsset needs exactly one of contentString and contentFile for asset "${name}"`,
    );
  }
  const form = await assetForm(options, "createAsset");
  form.set("name", name);
  form.set("scope", scope);
  // The spec's boolean; the TS client sends lower case, which the server accepts.
  form.set("secret", options.isSecret ? "true" : "false");
  if (options.scopeId) form.set("scope_id", options.scopeId);
  return form;
}

/**
 * The multipart form of `PATCH /asset/{assetId}`.
 *
 * @throws {UsageError} when both `contentString` and `contentFile` are given.
 */
export async function assetChangeForm(
  assetId: string,
  options: { description?: string } & AssetContent,
): Promise<FormData> {
  if (options.contentString !== undefined && options.contentFile !== undefined) {
    throw new UsageError(
      `AsApi.alterAsset got both contentString and contentFile for asset "${assetId}": pass one`,
    );
  }
  return await assetForm(options, "alterAsset");
}
