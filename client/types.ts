/**
 * Request and response shapes of the Squonk2 Account Server API (spec 4.4, reference
 * `squonk2-account-server-api.md` §3).
 *
 * Response types are inferred from the zod schemas in `client/as/schemas*.ts`, which every
 * answer is checked against, so each shape is written once. They list the documented fields
 * only; fields a newer server adds are kept at run time. Dates and times are strings (the
 * spec does not declare their format); coins in charges are decimal strings, coins in the
 * product `coins` block are numbers. Request bodies are plain interfaces.
 *
 * @module
 */

import type { z } from "zod";
import type {
  ActionDetailSchema,
  ActionGetResponseSchema,
  AnyProductSchema,
  AsErrorSchema,
  AssetDetailSchema,
  AssetGetResponseSchema,
  ChargeAdditionalDataSchema,
  ChargesGetResponseSchema,
  ChargeSummarySchema,
  ChargeTypeSchema,
  EventStreamFormatSchema,
  EventStreamGetPostResponseSchema,
  EventStreamVersionGetResponseSchema,
  FlavourEnumSchema,
  IdResponseSchema,
  MerchantDetailSchema,
  MerchantsGetResponseSchema,
  MerchantSummarySchema,
  OrganisationAllDetailSchema,
  OrganisationChargesGetResponseSchema,
  OrganisationChargeSummarySchema,
  OrganisationDetailSchema,
  OrganisationGetDefaultResponseSchema,
  OrganisationsGetResponseSchema,
  OrganisationUnitChargeSummarySchema,
  OrganisationUnitsGetResponseSchema,
  PersonalUnitPutResponseSchema,
  PrivacyEnumSchema,
  ProcessingChargeItemSchema,
  ProcessingChargesSchema,
  ProductChargesGetResponseSchema,
  ProductClaimDetailSchema,
  ProductCoinsDetailSchema,
  ProductDetailSchema,
  ProductDmProjectTierSchema,
  ProductDmStorageDetailSchema,
  ProductDmStorageSchema,
  ProductInstanceDetailSchema,
  ProductsGetDefaultStorageCostSchema,
  ProductsGetResponseSchema,
  ProductsGetTypesResponseSchema,
  ProductTypeEnumSchema,
  ProductTypeSchema,
  ProductUnitGetResponseSchema,
  ScopeEnumSchema,
  StateGetVersionResponseSchema,
  StorageChargeItemSchema,
  StorageChargesSchema,
  UnitAllDetailSchema,
  UnitChargesGetResponseSchema,
  UnitDetailSchema,
  UnitProductChargeSummarySchema,
  UnitsGetResponseSchema,
  UserAccountDetailSchema,
  UserDetailSchema,
  UsersGetResponseSchema,
} from "./as/schemas.ts";

/** `{"error": "..."}`: the AS body for 400, 403 and 404 responses. */
export type AsError = z.output<typeof AsErrorSchema>;

/** Product privacy defaults of organisations and units. */
export type PrivacyEnum = z.output<typeof PrivacyEnumSchema>;
/** The two product types. */
export type ProductTypeEnum = z.output<typeof ProductTypeEnumSchema>;
/** Flavours of project-tier products. */
export type FlavourEnum = z.output<typeof FlavourEnumSchema>;
/** Asset scopes. */
export type ScopeEnum = z.output<typeof ScopeEnumSchema>;
/** Event stream and action formats. */
export type EventStreamFormat = z.output<typeof EventStreamFormatSchema>;
/** Charge types. */
export type ChargeType = z.output<typeof ChargeTypeSchema>;
/** AS realm roles in Keycloak. */
export type AsRole = "account-server-evaluator" | "account-server-user" | "account-server-admin";

/** `GET /version`. */
export type StateGetVersionResponse = z.output<typeof StateGetVersionResponseSchema>;
/** A user, identified by username. */
export type UserDetail = z.output<typeof UserDetailSchema>;
/** `GET /user/account`. */
export type UserAccountDetail = z.output<typeof UserAccountDetailSchema>;
/** `GET /organisation/{id}/user`, `GET /unit/{id}/user`. */
export type UsersGetResponse = z.output<typeof UsersGetResponseSchema>;

/** An organisation; `owner_id` is absent for the Default organisation. */
export type OrganisationDetail = z.output<typeof OrganisationDetailSchema>;
/** An organisation with its users. */
export type OrganisationAllDetail = z.output<typeof OrganisationAllDetailSchema>;
/** `GET /organisation`. */
export type OrganisationsGetResponse = z.output<typeof OrganisationsGetResponseSchema>;
/** `GET /default/organisation`: every field optional. */
export type OrganisationGetDefaultResponse = z.output<typeof OrganisationGetDefaultResponseSchema>;
/** `{id}` returned by creates. */
export type IdResponse = z.output<typeof IdResponseSchema>;

/** A unit. */
export type UnitDetail = z.output<typeof UnitDetailSchema>;
/** A unit with its users. */
export type UnitAllDetail = z.output<typeof UnitAllDetailSchema>;
/** `GET /organisation/{id}/unit`, and each group of `GET /unit`. */
export type OrganisationUnitsGetResponse = z.output<typeof OrganisationUnitsGetResponseSchema>;
/** `GET /unit`: units grouped per organisation. */
export type UnitsGetResponse = z.output<typeof UnitsGetResponseSchema>;
/** `PUT /personal-unit` response. */
export type PersonalUnitPutResponse = z.output<typeof PersonalUnitPutResponseSchema>;

/** The product itself. */
export type ProductDetail = z.output<typeof ProductDetailSchema>;
/** The product's `coins` block (numbers). */
export type ProductCoinsDetail = z.output<typeof ProductCoinsDetailSchema>;
/** Storage detail of a product. */
export type ProductDmStorageDetail = z.output<typeof ProductDmStorageDetailSchema>;
/** Instance detail of a project-tier product. */
export type ProductInstanceDetail = z.output<typeof ProductInstanceDetailSchema>;
/** A product's claim (e.g. a DM project). */
export type ProductClaimDetail = z.output<typeof ProductClaimDetailSchema>;
/** A storage subscription product. */
export type ProductDmStorage = z.output<typeof ProductDmStorageSchema>;
/** A project-tier subscription product. */
export type ProductDmProjectTier = z.output<typeof ProductDmProjectTierSchema>;
/** Either kind of product. */
export type AnyProduct = z.output<typeof AnyProductSchema>;
/** `GET /product`, `/product/unit/{id}`, `/product/organisation/{id}`. */
export type ProductsGetResponse = z.output<typeof ProductsGetResponseSchema>;
/** `GET /product/{id}`. */
export type ProductUnitGetResponse = z.output<typeof ProductUnitGetResponseSchema>;
/** A product type. */
export type ProductType = z.output<typeof ProductTypeSchema>;
/** `GET /product-type`. */
export type ProductsGetTypesResponse = z.output<typeof ProductsGetTypesResponseSchema>;
/** `GET /product-default-storage-cost`. */
export type ProductsGetDefaultStorageCost = z.output<typeof ProductsGetDefaultStorageCostSchema>;

/** Coins per charge type. */
export type ChargeSummary = z.output<typeof ChargeSummarySchema>;
/** One organisation in `GET /charges`. */
export type OrganisationChargeSummary = z.output<typeof OrganisationChargeSummarySchema>;
/** `GET /charges` (admin only). */
export type ChargesGetResponse = z.output<typeof ChargesGetResponseSchema>;
/** One unit in `GET /charges/organisation/{id}`. */
export type OrganisationUnitChargeSummary = z.output<typeof OrganisationUnitChargeSummarySchema>;
/** `GET /charges/organisation/{id}`. */
export type OrganisationChargesGetResponse = z.output<typeof OrganisationChargesGetResponseSchema>;
/** One product in `GET /charges/unit/{id}`. */
export type UnitProductChargeSummary = z.output<typeof UnitProductChargeSummarySchema>;
/** `GET /charges/unit/{id}`. */
export type UnitChargesGetResponse = z.output<typeof UnitChargesGetResponseSchema>;
/** Free-form `additional_data` (job fields, storage bytes, ...). */
export type ChargeAdditionalData = z.output<typeof ChargeAdditionalDataSchema>;
/** One processing charge record. */
export type ProcessingChargeItem = z.output<typeof ProcessingChargeItemSchema>;
/** A processing charge with its merchant. */
export type ProcessingCharges = z.output<typeof ProcessingChargesSchema>;
/** One daily storage charge. */
export type StorageChargeItem = z.output<typeof StorageChargeItemSchema>;
/** The storage charges of a product. */
export type StorageCharges = z.output<typeof StorageChargesSchema>;
/** `GET /charges/product/{id}`. */
export type ProductChargesGetResponse = z.output<typeof ProductChargesGetResponseSchema>;

/** A merchant. */
export type MerchantDetail = z.output<typeof MerchantDetailSchema>;
/** `GET /merchant`. */
export type MerchantsGetResponse = z.output<typeof MerchantsGetResponseSchema>;
/** A merchant inside an action. */
export type MerchantSummary = z.output<typeof MerchantSummarySchema>;

/** An asset. */
export type AssetDetail = z.output<typeof AssetDetailSchema>;
/** `GET /asset`. */
export type AssetGetResponse = z.output<typeof AssetGetResponseSchema>;

/** `GET /event-stream/version`. */
export type EventStreamVersionGetResponse = z.output<typeof EventStreamVersionGetResponseSchema>;
/** `GET`/`POST /event-stream`. */
export type EventStreamGetPostResponse = z.output<typeof EventStreamGetPostResponseSchema>;
/** One action record. */
export type ActionDetail = z.output<typeof ActionDetailSchema>;
/** `GET /action` (admin only). */
export type ActionGetResponse = z.output<typeof ActionGetResponseSchema>;

/**
 * The documented answer of endpoints without a body (PATCH 200, DELETE 204, add-user 200 or
 * 201): `{}`, as in the Python client. Not a default for a missing body elsewhere.
 */
export type EmptyResponse = Record<string, never>;

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
