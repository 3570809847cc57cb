/**
 * `AsApi`: one method per entry of the endpoint table (`endpoints.ts`). A method checks its
 * arguments (a {@link UsageError} before any request), names its entry and hands the call
 * to the generic caller (`caller.ts`), which sends it, validates the answer against the
 * entry's schema and returns an {@link ApiRv}.
 *
 * @module
 */

import type { ApiRv } from "./api_rv.ts";
import type { PeriodOptions } from "./periods.ts";
import type {
  ActionGetResponse,
  AssetDetail,
  AssetGetResponse,
  ChargesGetResponse,
  EmptyResponse,
  EventStreamFormat,
  EventStreamGetPostResponse,
  EventStreamVersionGetResponse,
  IdResponse,
  MerchantDetail,
  MerchantsGetResponse,
  OrganisationAllDetail,
  OrganisationChargesGetResponse,
  OrganisationGetDefaultResponse,
  OrganisationsGetResponse,
  OrganisationUnitsGetResponse,
  PersonalUnitPutResponse,
  PrivacyEnum,
  ProductChargesGetResponse,
  ProductsGetDefaultStorageCost,
  ProductsGetResponse,
  ProductsGetTypesResponse,
  ProductUnitGetResponse,
  StateGetVersionResponse,
  UnitAllDetail,
  UnitChargesGetResponse,
  UnitsGetResponse,
  UserAccountDetail,
  UsersGetResponse,
} from "../types.ts";
import { type CallOptions, callOpts, defined, requireInt, requireText } from "./args.ts";
import { type AssetContent, scopeQuery } from "./asset_form.ts";
import { AsCaller } from "./caller.ts";
import type { AsApiOptions } from "./options.ts";
import {
  type ActionFilters,
  actionsQuery,
  assetChangeForm,
  chargesQuery,
  checkFormat,
  checkPrivacy,
  type NewAsset,
  newAssetForm,
  type NewProduct,
  newProductBody,
  optionalCoins,
} from "./requests.ts";

/** Options naming an organisation. */
export interface OrgOptions extends CallOptions {
  /** The organisation's id (`org-…`). */
  orgId: string;
}
/** Options naming a unit. */
export interface UnitOptions extends CallOptions {
  /** The unit's id (`unit-…`). */
  unitId: string;
}
/** Options naming a product. */
export interface ProductOptions extends CallOptions {
  /** The product's id (`product-…`). */
  productId: string;
}
/** Options naming an asset. */
export interface AssetOptions extends CallOptions {
  /** The asset's id. */
  assetId: string;
}
/** Options naming an asset and a merchant. */
export interface AssetMerchantOptions extends AssetOptions {
  /** The merchant's integer id (at least 1). */
  mId: number;
}
/** A name change and/or a change of the default product privacy. */
export interface AlterOptions {
  /** The new name. */
  name?: string;
  /** The new default product privacy. */
  defaultProductPrivacy?: PrivacyEnum;
}

/** Reads a required text option, naming the method in the error. */
function text(options: unknown, name: string, method: string): string {
  return requireText((options as Record<string, unknown> | undefined)?.[name], { name, method });
}

/**
 * The Account Server client: every method of the Python client's `AsApi` (camelCase),
 * plus `getActions` and `getCharges`. Construct with `new AsApi(options?)`; defaults come
 * from `SQUONK2_ASAPI_URL`, `SQUONK2_ASAPI_VERIFY_SSL_CERT` and
 * `SQUONK2_API_DEBUG_REQUESTS`.
 *
 * Every call resolves to an {@link ApiRv} and never throws for HTTP, network or protocol
 * failures; invalid arguments throw a `UsageError` before any request.
 */
export class AsApi {
  #caller: AsCaller;

  /** Creates a client; see {@link AsApiOptions}. Never makes a request. */
  constructor(options: AsApiOptions = {}) {
    this.#caller = new AsCaller(options);
  }

  /**
   * Replaces the base URL and the TLS setting (like the Python `set_api_url`: verification
   * goes back to `true` unless `verifySslCert: false` is passed).
   *
   * Deno's `fetch` cannot skip certificate checks per request. With `verifySslCert: false`
   * on an `https` URL the client checks whether Deno runs with
   * `--unsafely-ignore-certificate-errors` for the host and otherwise warns once with the
   * exact flag to add; certificates are then still verified.
   *
   * @throws {UsageError} when `url` is empty or not an http(s) URL.
   */
  setApiUrl(url: string, options: { verifySslCert?: boolean } = {}): void {
    this.#caller.setApiUrl(url, options);
  }

  /** The base URL (`""` when unset) and whether TLS certificates are to be verified. */
  getApiUrl(): { url: string; verifySslCert: boolean } {
    return this.#caller.getApiUrl();
  }

  /**
   * True when any answer this client received came from the sandbox (it carried the
   * `X-Squonk2-Sandbox: 1` header): what was read through it is simulated data, and the
   * reports made from it say so.
   */
  answeredBySandbox(): boolean {
    return this.#caller.answeredBySandbox();
  }

  // --- Service, account, merchants, event streams, actions -------------------------------

  /** Checks that the AS answers: `GET /version` without a token. */
  async ping(options: CallOptions = {}): Promise<ApiRv<StateGetVersionResponse>> {
    return await this.#caller.call("ping", undefined, {}, callOpts(options));
  }

  /** The AS version (`GET /version`, no token needed). */
  async getVersion(options: CallOptions = {}): Promise<ApiRv<StateGetVersionResponse>> {
    return await this.#caller.call("getVersion", undefined, {}, callOpts(options));
  }

  /** The event-stream service version (`GET /event-stream/version`, no token; 404 when absent). */
  async getEventStreamVersion(
    options: CallOptions = {},
  ): Promise<ApiRv<EventStreamVersionGetResponse>> {
    return await this.#caller.call("getEventStreamVersion", undefined, {}, callOpts(options));
  }

  /** The caller's user account: username, admin privilege and AS roles (`GET /user/account`). */
  async getAccount(token: string, options: CallOptions = {}): Promise<ApiRv<UserAccountDetail>> {
    return await this.#caller.call("getAccount", token, {}, callOpts(options));
  }

  /** Merchants registered with the AS (`GET /merchant`). */
  async getMerchants(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<MerchantsGetResponse>> {
    return await this.#caller.call("getMerchants", token, {}, callOpts(options));
  }

  /** One merchant by its integer id (`GET /merchant/{id}`). */
  async getMerchant(
    token: string,
    options: { merchantId: number } & CallOptions,
  ): Promise<ApiRv<MerchantDetail>> {
    const merchantId = requireInt(options?.merchantId, {
      name: "merchantId",
      method: "getMerchant",
      min: 1,
    });
    const params = { merchantId };
    return await this.#caller.call("getMerchant", token, { params }, callOpts(options));
  }

  /** The caller's event stream, if any (`GET /event-stream`; 404 when there is none). */
  async getEventStream(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<EventStreamGetPostResponse>> {
    return await this.#caller.call("getEventStream", token, {}, callOpts(options));
  }

  /**
   * Creates the caller's event stream (`POST /event-stream`, one per user). `eventFormat`
   * defaults to the server's `PROTOCOL_STRING` when omitted.
   */
  async createEventStream(
    token: string,
    options: { eventFormat?: EventStreamFormat } & CallOptions = {},
  ): Promise<ApiRv<EventStreamGetPostResponse>> {
    const format = checkFormat(options.eventFormat, {
      name: "eventFormat",
      method: "createEventStream",
    });
    const json = format === undefined ? {} : { format };
    return await this.#caller.call("createEventStream", token, { json }, callOpts(options));
  }

  /** Deletes an event stream by its integer id (`DELETE /event-stream/{id}`; creator only). */
  async deleteEventStream(
    token: string,
    options: { eventStreamId: number } & CallOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const eventStreamId = requireInt(options?.eventStreamId, {
      name: "eventStreamId",
      method: "deleteEventStream",
      min: 0,
    });
    const params = { eventStreamId };
    return await this.#caller.call("deleteEventStream", token, { params }, callOpts(options));
  }

  /**
   * Merchant actions (`GET /action`, admin only). Give at most one of `merchantId`,
   * `productId`, `unitId`, `orgId`; without dates the server returns today's actions.
   *
   * @throws {UsageError} for bad dates or more than one filter.
   */
  async getActions(
    token: string,
    options: ActionFilters & CallOptions = {},
  ): Promise<ApiRv<ActionGetResponse>> {
    const query = actionsQuery(options);
    return await this.#caller.call("getActions", token, { query }, callOpts(options));
  }

  // --- Organisations ----------------------------------------------------------------------

  /** Organisations you can see, or the one named `orgName` (`GET /organisation?name=`). */
  async getOrganisations(
    token: string,
    options: { orgName?: string } & CallOptions = {},
  ): Promise<ApiRv<OrganisationsGetResponse>> {
    const query = { name: options.orgName || undefined };
    return await this.#caller.call("getOrganisations", token, { query }, callOpts(options));
  }

  /** One organisation with its users (`GET /organisation/{orgId}`; members, owner, admins). */
  async getOrganisation(token: string, options: OrgOptions): Promise<ApiRv<OrganisationAllDetail>> {
    const params = { orgId: text(options, "orgId", "getOrganisation") };
    return await this.#caller.call("getOrganisation", token, { params }, callOpts(options));
  }

  /** The Default organisation, home of personal units (`GET /default/organisation`). */
  async getDefaultOrganisation(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<OrganisationGetDefaultResponse>> {
    return await this.#caller.call("getDefaultOrganisation", token, {}, callOpts(options));
  }

  /** Creates an organisation owned by `orgOwner` (`POST /organisation`, admin only). */
  async createOrganisation(
    token: string,
    options:
      & { orgName: string; orgOwner: string; defaultProductPrivacy?: PrivacyEnum }
      & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const name = text(options, "orgName", "createOrganisation");
    const owner = text(options, "orgOwner", "createOrganisation");
    const privacy = checkPrivacy(options.defaultProductPrivacy, "createOrganisation");
    const json = defined({ name, owner, default_product_privacy: privacy });
    return await this.#caller.call("createOrganisation", token, { json }, callOpts(options));
  }

  /** Renames an organisation or changes its default product privacy (`PATCH /organisation/{orgId}`). */
  async alterOrganisation(
    token: string,
    options: OrgOptions & AlterOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const params = { orgId: text(options, "orgId", "alterOrganisation") };
    const privacy = checkPrivacy(options.defaultProductPrivacy, "alterOrganisation");
    const json = defined({ name: options.name, default_product_privacy: privacy });
    return await this.#caller.call("alterOrganisation", token, { params, json }, callOpts(options));
  }

  /** Deletes an organisation without units (`DELETE /organisation/{orgId}`, admin only). */
  async deleteOrganisation(token: string, options: OrgOptions): Promise<ApiRv<EmptyResponse>> {
    const params = { orgId: text(options, "orgId", "deleteOrganisation") };
    return await this.#caller.call("deleteOrganisation", token, { params }, callOpts(options));
  }

  /** Users of an organisation (`GET /organisation/{orgId}/user`). */
  async getOrganisationUsers(token: string, options: OrgOptions): Promise<ApiRv<UsersGetResponse>> {
    const params = { orgId: text(options, "orgId", "getOrganisationUsers") };
    return await this.#caller.call("getOrganisationUsers", token, { params }, callOpts(options));
  }

  /** Adds a user to an organisation (`PUT /organisation/{orgId}/user/{username}`; 200 or 201). */
  async addUserToOrganisation(
    token: string,
    options: OrgOptions & { username: string },
  ): Promise<ApiRv<EmptyResponse>> {
    const params = {
      orgId: text(options, "orgId", "addUserToOrganisation"),
      username: text(options, "username", "addUserToOrganisation"),
    };
    return await this.#caller.call("addUserToOrganisation", token, { params }, callOpts(options));
  }

  /** Removes a user from an organisation (`DELETE /organisation/{orgId}/user/{username}`). */
  async removeUserFromOrganisation(
    token: string,
    options: OrgOptions & { username: string },
  ): Promise<ApiRv<EmptyResponse>> {
    const params = {
      orgId: text(options, "orgId", "removeUserFromOrganisation"),
      username: text(options, "username", "removeUserFromOrganisation"),
    };
    const opts = callOpts(options);
    return await this.#caller.call("removeUserFromOrganisation", token, { params }, opts);
  }

  // --- Units and personal units -----------------------------------------------------------

  /** Units (grouped by organisation) you have access to (`GET /unit`). */
  async getAvailableUnits(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<UnitsGetResponse>> {
    return await this.#caller.call("getAvailableUnits", token, {}, callOpts(options));
  }

  /** Units you can see, or those named `unitName` (`GET /unit?name=`). */
  async getUnits(
    token: string,
    options: { unitName?: string } & CallOptions = {},
  ): Promise<ApiRv<UnitsGetResponse>> {
    const query = { name: options.unitName || undefined };
    return await this.#caller.call("getUnits", token, { query }, callOpts(options));
  }

  /** One unit with its users (`GET /unit/{unitId}`). */
  async getUnit(token: string, options: UnitOptions): Promise<ApiRv<UnitAllDetail>> {
    const params = { unitId: text(options, "unitId", "getUnit") };
    return await this.#caller.call("getUnit", token, { params }, callOpts(options));
  }

  /** The units of an organisation that you can see (`GET /organisation/{orgId}/unit`). */
  async getOrganisationUnits(
    token: string,
    options: OrgOptions,
  ): Promise<ApiRv<OrganisationUnitsGetResponse>> {
    const params = { orgId: text(options, "orgId", "getOrganisationUnits") };
    return await this.#caller.call("getOrganisationUnits", token, { params }, callOpts(options));
  }

  /**
   * Creates a unit in an organisation (`POST /organisation/{orgId}/unit`). `billingDay` is
   * the day of the month (1–28) on which the unit's products are billed.
   */
  async createUnit(
    token: string,
    options:
      & { unitName: string; orgId: string; billingDay: number; defaultProductPrivacy?: PrivacyEnum }
      & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const name = text(options, "unitName", "createUnit");
    const params = { orgId: text(options, "orgId", "createUnit") };
    const billingDay = requireInt(options.billingDay, {
      name: "billingDay",
      method: "createUnit",
      min: 1,
      max: 28,
    });
    const privacy = checkPrivacy(options.defaultProductPrivacy, "createUnit");
    const json = defined({ name, billing_day: billingDay, default_product_privacy: privacy });
    return await this.#caller.call("createUnit", token, { params, json }, callOpts(options));
  }

  /** Renames a unit or changes its default product privacy (`PATCH /unit/{unitId}`). */
  async alterUnit(
    token: string,
    options: UnitOptions & AlterOptions,
  ): Promise<ApiRv<EmptyResponse>> {
    const params = { unitId: text(options, "unitId", "alterUnit") };
    const privacy = checkPrivacy(options.defaultProductPrivacy, "alterUnit");
    const json = defined({ name: options.name, default_product_privacy: privacy });
    return await this.#caller.call("alterUnit", token, { params, json }, callOpts(options));
  }

  /** Deletes a unit without products (`DELETE /unit/{unitId}`; not for personal units). */
  async deleteUnit(token: string, options: UnitOptions): Promise<ApiRv<EmptyResponse>> {
    const params = { unitId: text(options, "unitId", "deleteUnit") };
    return await this.#caller.call("deleteUnit", token, { params }, callOpts(options));
  }

  /** Your personal unit (`GET /personal-unit`). */
  async getPersonalUnit(token: string, options: CallOptions = {}): Promise<ApiRv<UnitAllDetail>> {
    return await this.#caller.call("getPersonalUnit", token, {}, callOpts(options));
  }

  /** Creates your personal unit in the Default organisation (`PUT /personal-unit`). */
  async createPersonalUnit(
    token: string,
    options: { billingDay: number } & CallOptions,
  ): Promise<ApiRv<PersonalUnitPutResponse>> {
    const billingDay = requireInt(options?.billingDay, {
      name: "billingDay",
      method: "createPersonalUnit",
      min: 1,
      max: 28,
    });
    const json = { billing_day: billingDay };
    return await this.#caller.call("createPersonalUnit", token, { json }, callOpts(options));
  }

  /** Deletes your personal unit (`DELETE /personal-unit`). */
  async deletePersonalUnit(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<EmptyResponse>> {
    return await this.#caller.call("deletePersonalUnit", token, {}, callOpts(options));
  }

  /** Users of a unit (`GET /unit/{unitId}/user`). */
  async getUnitUsers(token: string, options: UnitOptions): Promise<ApiRv<UsersGetResponse>> {
    const params = { unitId: text(options, "unitId", "getUnitUsers") };
    return await this.#caller.call("getUnitUsers", token, { params }, callOpts(options));
  }

  /** Adds a user to a unit (`PUT /unit/{unitId}/user/{username}`; 200 or 201). */
  async addUserToUnit(
    token: string,
    options: UnitOptions & { username: string },
  ): Promise<ApiRv<EmptyResponse>> {
    const params = {
      unitId: text(options, "unitId", "addUserToUnit"),
      username: text(options, "username", "addUserToUnit"),
    };
    return await this.#caller.call("addUserToUnit", token, { params }, callOpts(options));
  }

  /** Removes a user from a unit (`DELETE /unit/{unitId}/user/{username}`). */
  async removeUserFromUnit(
    token: string,
    options: UnitOptions & { username: string },
  ): Promise<ApiRv<EmptyResponse>> {
    const params = {
      unitId: text(options, "unitId", "removeUserFromUnit"),
      username: text(options, "username", "removeUserFromUnit"),
    };
    return await this.#caller.call("removeUserFromUnit", token, { params }, callOpts(options));
  }

  // --- Products ---------------------------------------------------------------------------

  /** Products you have access to (`GET /product`). */
  async getAvailableProducts(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<ProductsGetResponse>> {
    return await this.#caller.call("getAvailableProducts", token, {}, callOpts(options));
  }

  /** One product; the data is at `msg.product.product` and `msg.product.coins` (`GET /product/{id}`). */
  async getProduct(token: string, options: ProductOptions): Promise<ApiRv<ProductUnitGetResponse>> {
    const params = { productId: text(options, "productId", "getProduct") };
    return await this.#caller.call("getProduct", token, { params }, callOpts(options));
  }

  /** The default storage cost (`GET /product-default-storage-cost`). */
  async getProductDefaultStorageCost(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<ProductsGetDefaultStorageCost>> {
    return await this.#caller.call("getProductDefaultStorageCost", token, {}, callOpts(options));
  }

  /** Known product types (`GET /product-type`). */
  async getProductTypes(
    token: string,
    options: CallOptions = {},
  ): Promise<ApiRv<ProductsGetTypesResponse>> {
    return await this.#caller.call("getProductTypes", token, {}, callOpts(options));
  }

  /** Products of a unit (`GET /product/unit/{unitId}`). */
  async getProductsForUnit(
    token: string,
    options: UnitOptions,
  ): Promise<ApiRv<ProductsGetResponse>> {
    const params = { unitId: text(options, "unitId", "getProductsForUnit") };
    return await this.#caller.call("getProductsForUnit", token, { params }, callOpts(options));
  }

  /** Products of an organisation (`GET /product/organisation/{orgId}`). */
  async getProductsForOrganisation(
    token: string,
    options: OrgOptions,
  ): Promise<ApiRv<ProductsGetResponse>> {
    const params = { orgId: text(options, "orgId", "getProductsForOrganisation") };
    const opts = callOpts(options);
    return await this.#caller.call("getProductsForOrganisation", token, { params }, opts);
  }

  /**
   * Creates a product in a unit (`POST /product/unit/{unitId}`). Like the Python client,
   * `flavour` is sent only when non-empty and `allowance`/`limit` only when non-zero
   * (storage subscriptions need an allowance; project tiers need a flavour instead).
   */
  async createProduct(
    token: string,
    options: NewProduct & CallOptions,
  ): Promise<ApiRv<IdResponse>> {
    const { unitId, json } = newProductBody(options);
    const params = { unitId };
    return await this.#caller.call("createProduct", token, { params, json }, callOpts(options));
  }

  /** Renames a product or raises its allowance or limit (`PATCH /product/{productId}`). */
  async alterProduct(
    token: string,
    options: ProductOptions & { productName?: string; allowance?: number; limit?: number },
  ): Promise<ApiRv<EmptyResponse>> {
    const params = { productId: text(options, "productId", "alterProduct") };
    const json = defined({
      name: options.productName,
      allowance: optionalCoins(options.allowance, "allowance", "alterProduct"),
      limit: optionalCoins(options.limit, "limit", "alterProduct"),
    });
    return await this.#caller.call("alterProduct", token, { params, json }, callOpts(options));
  }

  /** Deletes a product (`DELETE /product/{productId}`; a claimed product must be unclaimed first). */
  async deleteProduct(token: string, options: ProductOptions): Promise<ApiRv<EmptyResponse>> {
    const params = { productId: text(options, "productId", "deleteProduct") };
    return await this.#caller.call("deleteProduct", token, { params }, callOpts(options));
  }

  // --- Charges (period: `from`/`until` or `pbp`, see client/periods.ts) -------------------

  /** Charges of one product: processing and storage items (`GET /charges/product/{productId}`). */
  async getProductCharges(
    token: string,
    options: ProductOptions & PeriodOptions,
  ): Promise<ApiRv<ProductChargesGetResponse>> {
    const params = { productId: text(options, "productId", "getProductCharges") };
    const query = chargesQuery(options);
    const opts = callOpts(options);
    return await this.#caller.call("getProductCharges", token, { params, query }, opts);
  }

  /** Charges of one unit, summarised per product (`GET /charges/unit/{unitId}`). */
  async getUnitCharges(
    token: string,
    options: UnitOptions & PeriodOptions,
  ): Promise<ApiRv<UnitChargesGetResponse>> {
    const params = { unitId: text(options, "unitId", "getUnitCharges") };
    const query = chargesQuery(options);
    return await this.#caller.call("getUnitCharges", token, { params, query }, callOpts(options));
  }

  /** Charges of one organisation, summarised per unit (`GET /charges/organisation/{orgId}`). */
  async getOrganisationCharges(
    token: string,
    options: OrgOptions & PeriodOptions,
  ): Promise<ApiRv<OrganisationChargesGetResponse>> {
    const params = { orgId: text(options, "orgId", "getOrganisationCharges") };
    const query = chargesQuery(options);
    const opts = callOpts(options);
    return await this.#caller.call("getOrganisationCharges", token, { params, query }, opts);
  }

  /** Charges of every organisation (`GET /charges`, admin only; no Python equivalent). */
  async getCharges(
    token: string,
    options: PeriodOptions & CallOptions = {},
  ): Promise<ApiRv<ChargesGetResponse>> {
    const query = chargesQuery(options);
    return await this.#caller.call("getCharges", token, { query }, callOpts(options));
  }

  // --- Assets -----------------------------------------------------------------------------

  /**
   * Assets you can see (`GET /asset`). `scopeId` narrows them like the Python client: an
   * id `product-…`, `unit-…` or `org-…` selects that scope, anything else is a username.
   * Accepts 200 or 201 (the spec says 201, the Python client expects 200).
   */
  async getAvailableAssets(
    token: string,
    options: { scopeId?: string } & CallOptions = {},
  ): Promise<ApiRv<AssetGetResponse>> {
    const query = scopeQuery(options.scopeId);
    return await this.#caller.call("getAvailableAssets", token, { query }, callOpts(options));
  }

  /** One asset (`GET /asset/{assetId}`; 200 or 201). Secret content is not revealed. */
  async getAsset(token: string, options: AssetOptions): Promise<ApiRv<AssetDetail>> {
    const params = { assetId: text(options, "assetId", "getAsset") };
    return await this.#caller.call("getAsset", token, { params }, callOpts(options));
  }

  /**
   * Creates an asset from `contentString` or `contentFile` (exactly one) in a scope
   * (`POST /asset`, multipart). `scopeId` is needed except for `GLOBAL` and `USER` (where the
   * server uses your username). `contentFile` is a path, a `Blob` or bytes.
   */
  async createAsset(token: string, options: NewAsset & CallOptions): Promise<ApiRv<IdResponse>> {
    const form = await newAssetForm(options);
    return await this.#caller.call("createAsset", token, { form }, callOpts(options));
  }

  /** Changes an asset's content and/or description (`PATCH /asset/{assetId}`, multipart). */
  async alterAsset(
    token: string,
    options: AssetOptions & { description?: string } & AssetContent,
  ): Promise<ApiRv<EmptyResponse>> {
    const assetId = text(options, "assetId", "alterAsset");
    const form = await assetChangeForm(assetId, options);
    const request = { params: { assetId }, form };
    return await this.#caller.call("alterAsset", token, request, callOpts(options));
  }

  /** Deletes an asset; attached assets must be detached first (`DELETE /asset/{assetId}`). */
  async deleteAsset(token: string, options: AssetOptions): Promise<ApiRv<EmptyResponse>> {
    const params = { assetId: text(options, "assetId", "deleteAsset") };
    return await this.#caller.call("deleteAsset", token, { params }, callOpts(options));
  }

  /** Lets merchants use an asset (`PATCH /asset/{assetId}/enable`). */
  async enableAsset(token: string, options: AssetOptions): Promise<ApiRv<EmptyResponse>> {
    const params = { assetId: text(options, "assetId", "enableAsset") };
    return await this.#caller.call("enableAsset", token, { params }, callOpts(options));
  }

  /** Stops merchants using an asset (`PATCH /asset/{assetId}/disable`). */
  async disableAsset(token: string, options: AssetOptions): Promise<ApiRv<EmptyResponse>> {
    const params = { assetId: text(options, "assetId", "disableAsset") };
    return await this.#caller.call("disableAsset", token, { params }, callOpts(options));
  }

  /** Attaches an asset to merchant `mId` (`PATCH /asset/{assetId}/attach?m_id=`). */
  async attachAsset(token: string, options: AssetMerchantOptions): Promise<ApiRv<EmptyResponse>> {
    const query = {
      m_id: requireInt(options?.mId, { name: "mId", method: "attachAsset", min: 1 }),
    };
    const params = { assetId: text(options, "assetId", "attachAsset") };
    return await this.#caller.call("attachAsset", token, { params, query }, callOpts(options));
  }

  /** Detaches an asset from merchant `mId` (`PATCH /asset/{assetId}/detach?m_id=`). */
  async detachAsset(token: string, options: AssetMerchantOptions): Promise<ApiRv<EmptyResponse>> {
    const query = {
      m_id: requireInt(options?.mId, { name: "mId", method: "detachAsset", min: 1 }),
    };
    const params = { assetId: text(options, "assetId", "detachAsset") };
    return await this.#caller.call("detachAsset", token, { params, query }, callOpts(options));
  }
}
