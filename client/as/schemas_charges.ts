/**
 * Schemas of the AS charges answers (AS 4.4, reference §3.6). Every `coins` value here is a
 * decimal string (a Python `Decimal`); a JSON number or a string such as `"1e3"` or `"12,5"`
 * does not fit, because totals are added exactly from these strings.
 *
 * @module
 */

import { z } from "zod";
import {
  BillingDay,
  ChargeTypeSchema,
  CoinString,
  Int,
  looseObject,
  MerchantKindSchema,
  ProductTypeEnumSchema,
} from "./schema_kit.ts";
import { ProductClaimDetailSchema } from "./schemas_products.ts";

/** Coins per charge type. */
export const ChargeSummarySchema = looseObject({ type: ChargeTypeSchema, coins: CoinString });

/** One organisation in `GET /charges`. */
export const OrganisationChargeSummarySchema = looseObject({
  organisation_id: z.string(),
  name: z.string(),
  summary: z.array(ChargeSummarySchema),
});

/** `GET /charges` (admin only). */
export const ChargesGetResponseSchema = looseObject({
  coins: CoinString,
  count: Int,
  summary: z.array(ChargeSummarySchema),
  organisation_charges: z.array(OrganisationChargeSummarySchema),
});

/** One unit in `GET /charges/organisation/{id}`: its period and summary. */
export const OrganisationUnitChargeSummarySchema = looseObject({
  unit_id: z.string(),
  name: z.string(),
  billing_day: BillingDay,
  from: z.string(),
  until: z.string(),
  summary: z.array(ChargeSummarySchema),
});

/** `GET /charges/organisation/{id}`. */
export const OrganisationChargesGetResponseSchema = looseObject({
  organisation_id: z.string(),
  name: z.string(),
  coins: CoinString,
  summary: z.array(ChargeSummarySchema),
  unit_charges: z.array(OrganisationUnitChargeSummarySchema),
});

/** One product in `GET /charges/unit/{id}`. */
export const UnitProductChargeSummarySchema = looseObject({
  product_id: z.string(),
  product_type: z.string(),
  charges: z.array(ChargeSummarySchema),
});

/** `GET /charges/unit/{id}`; note `summary` wraps the list in `{charges}`. */
export const UnitChargesGetResponseSchema = looseObject({
  caller_is_member: z.boolean(),
  unit_id: z.string(),
  name: z.string().optional(),
  owner_id: z.string(),
  private: z.boolean(),
  created: z.string(),
  coins: CoinString,
  count: Int,
  billing_day: BillingDay,
  from: z.string(),
  until: z.string(),
  summary: looseObject({ charges: z.array(ChargeSummarySchema) }),
  products: z.array(UnitProductChargeSummarySchema),
});

/** Free-form `additional_data` (job fields, storage bytes, ...). */
export const ChargeAdditionalDataSchema = z.record(z.string(), z.unknown());

/** One processing charge record. */
export const ProcessingChargeItemSchema = looseObject({
  id: Int,
  sqn: Int,
  name: z.string().optional(),
  username: z.string(),
  timestamp: z.string(),
  coins: CoinString,
  additional_data: ChargeAdditionalDataSchema.optional(),
});

/** A processing charge with its merchant. */
export const ProcessingChargesSchema = looseObject({
  merchant_name: z.string(),
  merchant_kind: MerchantKindSchema,
  merchant_api_hostname: z.string(),
  closed: z.string().optional(),
  final: z.boolean(),
  post_final_charges: z.boolean().optional(),
  charge: ProcessingChargeItemSchema,
});

/** One daily storage charge; `current_burn_rate` (a coin amount) only on the open day. */
export const StorageChargeItemSchema = looseObject({
  item_number: Int,
  date: z.string(),
  coins: CoinString,
  current_burn_rate: CoinString.optional(),
  closed: z.string().optional(),
  additional_data: ChargeAdditionalDataSchema.optional(),
});

/** The storage charges of a product. */
export const StorageChargesSchema = looseObject({
  num_items: Int,
  items: z.array(StorageChargeItemSchema),
});

/** `GET /charges/product/{id}`. */
export const ProductChargesGetResponseSchema = looseObject({
  product_id: z.string(),
  product_type: ProductTypeEnumSchema,
  billing_day: BillingDay,
  claimable: z.boolean(),
  claim: ProductClaimDetailSchema.optional(),
  count: Int,
  from: z.string(),
  until: z.string(),
  coins: CoinString,
  processing_charges: z.array(ProcessingChargesSchema),
  storage_charges: StorageChargesSchema,
});
