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
  periodBound,
  ProductTypeEnumSchema,
} from "./schema_kit.ts";
import { ProductClaimDetailSchema } from "./schemas_products.ts";

const FROM = "The period's first day (inclusive).";
const UNTIL = "The first day after the period (exclusive).";
const COUNT = "A count of charge records (the spec does not define it).";

export const ChargeSummarySchema = looseObject({
  type: ChargeTypeSchema.describe("The charge type."),
  coins: CoinString.describe("Coins of that type (decimal string)."),
}).meta({ description: "Coins per charge type." });

export const OrganisationChargeSummarySchema = looseObject({
  organisation_id: z.string().describe("The organisation's id."),
  name: z.string().describe("The organisation's name."),
  summary: z.array(ChargeSummarySchema).describe("Its coins per charge type."),
}).meta({ description: "One organisation in `GET /charges`." });

export const ChargesGetResponseSchema = looseObject({
  coins: CoinString.describe("The total coins of all organisations (decimal string)."),
  count: Int.describe(COUNT),
  summary: z.array(ChargeSummarySchema).describe("The coins per charge type."),
  organisation_charges: z.array(OrganisationChargeSummarySchema).describe(
    "The charges of each organisation.",
  ),
}).meta({ description: "`GET /charges` (admin only)." });

export const OrganisationUnitChargeSummarySchema = looseObject({
  unit_id: z.string().describe("The unit's id."),
  name: z.string().describe("The unit's name."),
  billing_day: BillingDay,
  from: periodBound(FROM),
  until: periodBound(UNTIL),
  summary: z.array(ChargeSummarySchema).describe("The unit's coins per charge type."),
}).meta({ description: "One unit in `GET /charges/organisation/{id}`: its period and summary." });

export const OrganisationChargesGetResponseSchema = looseObject({
  organisation_id: z.string().describe("The organisation's id."),
  name: z.string().describe("The organisation's name."),
  coins: CoinString.describe("The organisation's total coins (decimal string)."),
  summary: z.array(ChargeSummarySchema).describe("Its coins per charge type."),
  unit_charges: z.array(OrganisationUnitChargeSummarySchema).describe(
    "The charges of each of its units, each for the unit's own period.",
  ),
}).meta({ description: "`GET /charges/organisation/{id}`." });

export const UnitProductChargeSummarySchema = looseObject({
  product_id: z.string().describe("The product's id."),
  product_type: z.string().describe("The product's type (`ProductTypeEnum` in practice)."),
  charges: z.array(ChargeSummarySchema).describe("The product's coins per charge type."),
}).meta({ description: "One product in `GET /charges/unit/{id}`." });

export const UnitChargesGetResponseSchema = looseObject({
  caller_is_member: z.boolean().describe("Whether the caller is a member of the unit."),
  unit_id: z.string().describe("The unit's id."),
  name: z.string().optional().describe("The unit's name."),
  owner_id: z.string().describe("The owner's username."),
  private: z.boolean().describe("Whether the unit is private."),
  created: z.string().describe("When the unit was created (server time, as text)."),
  coins: CoinString.describe("The unit's total coins (decimal string)."),
  count: Int.describe(COUNT),
  billing_day: BillingDay,
  from: periodBound(FROM),
  until: periodBound(UNTIL),
  summary: looseObject({
    charges: z.array(ChargeSummarySchema).describe("The unit's coins per charge type."),
  }).describe("The unit's summary (a list wrapped in `{charges}`)."),
  products: z.array(UnitProductChargeSummarySchema).describe("The charges of each product."),
}).meta({ description: "`GET /charges/unit/{id}`; note `summary` wraps the list in `{charges}`." });

export const ChargeAdditionalDataSchema = z.record(z.string(), z.unknown()).meta({
  description: "Free-form `additional_data` (job fields, storage bytes, ...).",
});

export const ProcessingChargeItemSchema = looseObject({
  id: Int.describe("The charge record number."),
  sqn: Int.describe("The latest sequence number of this charge."),
  name: z.string().optional().describe("A name for what was charged (e.g. a job)."),
  username: z.string().describe("The user who was charged."),
  timestamp: z.string().describe("When the charge was made (server time, as text)."),
  coins: CoinString.describe("The coins charged (decimal string)."),
  additional_data: ChargeAdditionalDataSchema.optional().describe(
    "Merchant-specific fields (e.g. `job_collection`, `job_job`, `started`).",
  ),
}).meta({ description: "One processing charge record." });

export const ProcessingChargesSchema = looseObject({
  merchant_name: z.string().describe("The name of the merchant (service) that charged."),
  merchant_kind: MerchantKindSchema.describe("The merchant's kind."),
  merchant_api_hostname: z.string().describe("The merchant's API hostname."),
  closed: z.string().optional().describe("When the process stopped; absent while it runs."),
  final: z.boolean().describe("Whether the charge can no longer change."),
  post_final_charges: z.boolean().optional().describe(
    "Whether charges arrived after the record was final.",
  ),
  charge: ProcessingChargeItemSchema.describe("The charge record."),
}).meta({ description: "A processing charge with its merchant." });

export const StorageChargeItemSchema = looseObject({
  item_number: Int.describe("The item's number."),
  date: z.string().describe("The day charged."),
  coins: CoinString.describe("The coins charged for the day (decimal string)."),
  current_burn_rate: CoinString.optional().describe(
    "Coins per day at the current storage (decimal string); only on the open day.",
  ),
  closed: z.string().optional().describe("When the day's charge was closed; absent while open."),
  additional_data: ChargeAdditionalDataSchema.optional().describe(
    "Merchant-specific fields (e.g. `peak_bytes`, `current_bytes`).",
  ),
}).meta({
  description:
    "One daily storage charge; `current_burn_rate` (a coin amount) only on the open day.",
});

export const StorageChargesSchema = looseObject({
  num_items: Int.describe("The number of items."),
  items: z.array(StorageChargeItemSchema).describe("One item per day charged."),
}).meta({ description: "The storage charges of a product." });

export const ProductChargesGetResponseSchema = looseObject({
  product_id: z.string().describe("The product's id."),
  product_type: ProductTypeEnumSchema.describe("The product's type."),
  billing_day: BillingDay,
  claimable: z.boolean().describe("Whether the product can (needs to) be claimed."),
  claim: ProductClaimDetailSchema.optional().describe("What claimed the product, if anything."),
  count: Int.describe(COUNT),
  from: periodBound(FROM),
  until: periodBound(UNTIL),
  coins: CoinString.describe("The product's total coins in the period (decimal string)."),
  processing_charges: z.array(ProcessingChargesSchema).describe("The processing charges."),
  storage_charges: StorageChargesSchema.describe("The storage charges."),
}).meta({ description: "`GET /charges/product/{id}`." });
