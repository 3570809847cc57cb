/**
 * Request and response shapes of the Squonk2 Account Server API (spec 4.4), restated from
 * `reference/squonk2-account-server-api.md` §3. Dates and times are strings (the spec does
 * not declare their format); coins in charges are decimal strings, coins in the product
 * `coins` block are numbers.
 *
 * @module
 */

/** `{"error": "..."}`: the AS body for 400, 403 and 404 responses. */
export interface AsError {
  /** Brief text suitable for users. */
  error: string;
}

/** Product privacy defaults of organisations and units. */
export type PrivacyEnum = "ALWAYS_PUBLIC" | "ALWAYS_PRIVATE" | "DEFAULT_PUBLIC" | "DEFAULT_PRIVATE";
/** The two product types. */
export type ProductTypeEnum =
  | "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION"
  | "DATA_MANAGER_STORAGE_SUBSCRIPTION";
/** Flavours of project-tier products. */
export type FlavourEnum = "EVALUATION" | "BRONZE" | "SILVER" | "GOLD";
/** Asset scopes. */
export type ScopeEnum = "USER" | "PRODUCT" | "UNIT" | "ORGANISATION" | "GLOBAL";
/** Event stream and action formats. */
export type EventStreamFormat = "PROTOCOL_STRING" | "JSON_STRING";
/** Charge types. */
export type ChargeType = "PROCESSING" | "STORAGE";
/** AS realm roles in Keycloak. */
export type AsRole = "account-server-evaluator" | "account-server-user" | "account-server-admin";

/** `GET /version`. */
export interface StateGetVersionResponse {
  version: string;
}
/** A user, identified by username. */
export interface UserDetail {
  id: string;
}
/** `GET /user/account`. */
export interface UserAccountDetail {
  user: UserDetail;
  caller_has_admin_privilege: boolean;
  account_server_roles: string[];
}
/** `GET /organisation/{id}/user`, `GET /unit/{id}/user`. */
export interface UsersGetResponse {
  count: number;
  organisation?: OrganisationDetail;
  unit?: UnitDetail;
  users: UserDetail[];
}

/** An organisation. */
export interface OrganisationDetail {
  caller_is_member: boolean;
  id: string;
  name: string;
  /** Absent for the Default organisation. */
  owner_id?: string;
  private: boolean;
  created: string;
  default_product_privacy: PrivacyEnum;
}
/** An organisation with its users. */
export interface OrganisationAllDetail extends OrganisationDetail {
  users: UserDetail[];
}
/** `GET /organisation`. */
export interface OrganisationsGetResponse {
  count: number;
  organisations: OrganisationAllDetail[];
}
/** `GET /default/organisation`: every field optional. */
export type OrganisationGetDefaultResponse = Partial<OrganisationDetail>;
/** `POST /organisation` body. */
export interface OrganisationPostBody {
  name: string;
  owner: string;
  default_product_privacy?: PrivacyEnum;
}
/** `PATCH /organisation/{id}` body. */
export interface OrganisationPatchBody {
  name?: string;
  default_product_privacy?: PrivacyEnum;
}
/** `{id}` returned by creates. */
export interface IdResponse {
  id: string;
}

/** A unit. */
export interface UnitDetail {
  caller_is_member: boolean;
  id: string;
  name: string;
  owner_id: string;
  private: boolean;
  created: string;
  billing_day: number;
  default_product_privacy: PrivacyEnum;
}
/** A unit with its users. */
export interface UnitAllDetail extends UnitDetail {
  users: UserDetail[];
}
/** `GET /organisation/{id}/unit`, and each group of `GET /unit`. */
export interface OrganisationUnitsGetResponse {
  count?: number;
  organisation: OrganisationAllDetail;
  units: UnitAllDetail[];
}
/** `GET /unit`: units grouped per organisation. */
export interface UnitsGetResponse {
  units: OrganisationUnitsGetResponse[];
}
/** `POST /organisation/{id}/unit` body. */
export interface OrganisationUnitPostBody {
  name: string;
  billing_day: number;
  default_product_privacy?: PrivacyEnum;
}
/** `PATCH /unit/{id}` body. */
export interface UnitPatchBody {
  name?: string;
  default_product_privacy?: PrivacyEnum;
}
/** `PUT /personal-unit` response. */
export interface PersonalUnitPutResponse {
  organisation_id: string;
  id: string;
}

/** The product itself. */
export interface ProductDetail {
  id: string;
  created: string;
  type: ProductTypeEnum;
  flavour?: FlavourEnum;
  name?: string;
}
/** The product's `coins` block (numbers). */
export interface ProductCoinsDetail {
  allowance: number;
  limit: number;
  used: number;
  at_limit: boolean;
  current_burn_rate: number;
  billing_prediction: number;
  billing_prediction_storage_contribution: number;
  billing_day: number;
  allowance_multiplier: number;
  overspend_multiplier: number;
  remaining_days: number;
}
/** Storage detail of a product. */
export interface ProductDmStorageDetail {
  size: { peak: string; current: string; unit_size: string; units_used: number };
  coins: { used: number; unit_cost: number };
}
/** Instance detail of a project-tier product. */
export interface ProductInstanceDetail {
  coins: { used: number };
}
/** A product's claim (e.g. a DM project). */
export interface ProductClaimDetail {
  id: string;
  name?: string;
}
/** A storage subscription product. */
export interface ProductDmStorage {
  product: ProductDetail;
  organisation: OrganisationAllDetail;
  unit: UnitAllDetail;
  storage: ProductDmStorageDetail;
  coins: ProductCoinsDetail;
  claimable: boolean;
}
/** A project-tier subscription product. */
export interface ProductDmProjectTier extends ProductDmStorage {
  instance: ProductInstanceDetail;
  claim?: ProductClaimDetail;
}
/** Either kind of product. */
export type AnyProduct = ProductDmStorage | ProductDmProjectTier;
/** `GET /product`, `/product/unit/{id}`, `/product/organisation/{id}`. */
export interface ProductsGetResponse {
  count: number;
  products: AnyProduct[];
}
/** `GET /product/{id}`. */
export interface ProductUnitGetResponse {
  product: AnyProduct;
}
/** A product type. */
export interface ProductType {
  type: string;
  flavour?: string;
  service_kind?: "DATA_MANAGER";
}
/** `GET /product-type`. */
export interface ProductsGetTypesResponse {
  count: number;
  product_types: ProductType[];
}
/** `GET /product-default-storage-cost`. */
export interface ProductsGetDefaultStorageCost {
  default_storage_cost: { cost: string; units: string; description: string };
}
/** `POST /product/unit/{id}` body. */
export interface UnitProductPostBody {
  name: string;
  type: ProductTypeEnum;
  flavour?: FlavourEnum;
  allowance?: number;
  limit?: number;
}
/** `PATCH /product/{id}` body. */
export interface ProductPatchBody {
  name?: string;
  allowance?: number;
  limit?: number;
}

/** Coins per charge type. */
export interface ChargeSummary {
  type: ChargeType;
  coins: string;
}
/** One organisation in `GET /charges`. */
export interface OrganisationChargeSummary {
  organisation_id: string;
  name: string;
  summary: ChargeSummary[];
}
/** `GET /charges` (admin only). */
export interface ChargesGetResponse {
  coins: string;
  count: number;
  summary: ChargeSummary[];
  organisation_charges: OrganisationChargeSummary[];
}
/** One unit in `GET /charges/organisation/{id}`. */
export interface OrganisationUnitChargeSummary {
  unit_id: string;
  name: string;
  billing_day: number;
  from: string;
  until: string;
  summary: ChargeSummary[];
}
/** `GET /charges/organisation/{id}`. */
export interface OrganisationChargesGetResponse {
  organisation_id: string;
  name: string;
  coins: string;
  summary: ChargeSummary[];
  unit_charges: OrganisationUnitChargeSummary[];
}
/** One product in `GET /charges/unit/{id}`. */
export interface UnitProductChargeSummary {
  product_id: string;
  product_type: string;
  charges: ChargeSummary[];
}
/** `GET /charges/unit/{id}`. */
export interface UnitChargesGetResponse {
  caller_is_member: boolean;
  unit_id: string;
  name?: string;
  owner_id: string;
  private: boolean;
  created: string;
  coins: string;
  count: number;
  billing_day: number;
  from: string;
  until: string;
  summary: { charges: ChargeSummary[] };
  products: UnitProductChargeSummary[];
}
/** Free-form `additional_data` (job fields, storage bytes, ...). */
export type ChargeAdditionalData = Record<string, unknown>;
/** One processing charge record. */
export interface ProcessingChargeItem {
  id: number;
  sqn: number;
  name?: string;
  username: string;
  timestamp: string;
  coins: string;
  additional_data?: ChargeAdditionalData;
}
/** A processing charge with its merchant. */
export interface ProcessingCharges {
  merchant_name: string;
  merchant_kind: "DATA_MANAGER";
  merchant_api_hostname: string;
  closed?: string;
  final: boolean;
  post_final_charges?: boolean;
  charge: ProcessingChargeItem;
}
/** One daily storage charge. */
export interface StorageChargeItem {
  item_number: number;
  date: string;
  coins: string;
  current_burn_rate?: string;
  closed?: string;
  additional_data?: ChargeAdditionalData;
}
/** The storage charges of a product. */
export interface StorageCharges {
  num_items: number;
  items: StorageChargeItem[];
}
/** `GET /charges/product/{id}`. */
export interface ProductChargesGetResponse {
  product_id: string;
  product_type: ProductTypeEnum;
  billing_day: number;
  claimable: boolean;
  claim?: ProductClaimDetail;
  count: number;
  from: string;
  until: string;
  coins: string;
  processing_charges: ProcessingCharges[];
  storage_charges: StorageCharges;
}

/** A merchant. */
export interface MerchantDetail {
  id: number;
  created: string;
  kind: "DATA_MANAGER";
  name: string;
  api_hostname: string;
}
/** `GET /merchant`. */
export interface MerchantsGetResponse {
  count?: number;
  merchants: MerchantDetail[];
}
/** A merchant inside an action. */
export interface MerchantSummary {
  id: number;
  kind: "DATA_MANAGER";
  name: string;
}

/** An asset. */
export interface AssetDetail {
  creator: string;
  id: string;
  name: string;
  scope: ScopeEnum;
  scope_id: string;
  secret: boolean;
  disabled: boolean;
  content: string;
  created: string;
  content_modified?: string;
  description?: string;
  merchants: MerchantDetail[];
}
/** `GET /asset`. */
export interface AssetGetResponse {
  assets: AssetDetail[];
  count: number;
}

/** `GET /event-stream/version`. */
export interface EventStreamVersionGetResponse {
  version: string;
  protocol: "WEBSOCKET" | "SERVICE_NOT_PRESENT" | "ERROR_INTERNAL";
  name: string;
}
/** `GET`/`POST /event-stream`. */
export interface EventStreamGetPostResponse {
  id: number;
  name: string;
  location: string;
  format: string;
}
/** One action record. */
export interface ActionDetail {
  id: number;
  action: string;
  content: string;
  timestamp: string;
  merchant?: MerchantSummary;
  product_id?: string;
  unit_id?: string;
  org_id?: string;
}
/** `GET /action` (admin only). */
export interface ActionGetResponse {
  actions: ActionDetail[];
  count: number;
}

/** An empty success body (PATCH 200, DELETE 204, add-user 201). */
export type EmptyResponse = Record<string, never>;
