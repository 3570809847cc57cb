/**
 * Schemas of the AS product answers (AS 4.4, reference §3.5). The product `coins` block
 * holds JSON numbers, unlike the decimal strings of the charges answers.
 *
 * @module
 */

import { z } from "zod";
import {
  FlavourEnumSchema,
  Int,
  looseObject,
  MerchantKindSchema,
  ProductTypeEnumSchema,
} from "./schema_kit.ts";
import { OrganisationAllDetailSchema, UnitAllDetailSchema } from "./schemas_accounts.ts";

export const ProductDetailSchema = looseObject({
  id: z.string().describe("The product's id (`product-` and a UUID)."),
  created: z.string().describe("When the product was created (server time, as text)."),
  type: ProductTypeEnumSchema.describe("The product's type."),
  flavour: FlavourEnumSchema.optional().describe("The product's flavour (project tiers only)."),
  name: z.string().optional().describe("The product's name."),
}).meta({ description: "The product itself; `flavour` only for project tiers." });

export const ProductCoinsDetailSchema = looseObject({
  allowance: z.number().describe("Coins per period before the overspend multiplier applies."),
  limit: z.number().describe("The most coins the product may spend in a period."),
  used: z.number().describe("Coins used in this period, not counting today."),
  at_limit: z.boolean().describe("Whether the product is at or beyond its limit."),
  current_burn_rate: z.number().describe("About how many coins the product uses per day now."),
  billing_prediction: z.number().describe(
    "The estimated coins of the whole period at the current burn rate.",
  ),
  billing_prediction_storage_contribution: z.number().describe(
    "The storage part of `billing_prediction`.",
  ),
  billing_day: z.number().describe("Day of the month the bill is due and the period ends."),
  allowance_multiplier: z.number().describe("Multiplier of the coins used within the allowance."),
  overspend_multiplier: z.number().describe("Multiplier of the coins used beyond the allowance."),
  remaining_days: z.number().describe("Days left in the current period."),
}).meta({ description: "The product's `coins` block (numbers)." });

export const ProductDmStorageDetailSchema = looseObject({
  size: looseObject({
    peak: z.string().describe('Today\'s peak storage, humanised (e.g. `"0 Bytes"`).'),
    current: z.string().describe("The storage now, humanised; the burn rate is based on it."),
    unit_size: z.string().describe("The storage unit, humanised; storage is billed per unit."),
    units_used: z.number().describe("Today's peak number of storage units."),
  }).describe("Storage sizes of today."),
  coins: looseObject({
    used: z.number().describe("Coins committed for today so far."),
    unit_cost: z.number().describe("Coins per storage unit (or part of one) per day."),
  }).describe("Storage coins of today."),
}).meta({ description: "Storage detail of a product: humanised sizes and today's coins." });

export const ProductInstanceDetailSchema = looseObject({
  coins: looseObject({
    used: z.number().describe("Coins used by the instance."),
  }).describe("The instance's coins."),
}).meta({ description: "Instance detail of a project-tier product." });

export const ProductClaimDetailSchema = looseObject({
  id: z.string().describe("The id of what claimed the product (e.g. a DM project id)."),
  name: z.string().optional().describe("The claimer's name."),
}).meta({ description: "A product's claim (e.g. a DM project)." });

/**
 * `ProductDetail` that must be of `type`: tells the two product variants apart inside
 * {@link AnyProductSchema}. The issue is flagged `variant` so that error messages report
 * the problems of the variant the answer claims to be, not those of the other one.
 */
function productOfType(type: z.output<typeof ProductTypeEnumSchema>) {
  const schema = ProductDetailSchema.refine((p) => p.type === type, {
    error: `expected a product of type ${type}`,
    abort: true,
    params: { variant: true },
  });
  // Described in place: a `.describe()` clone of this refinement would print as a copy of
  // ProductDetail, not as a reference to it, in the generated types.
  z.globalRegistry.add(schema, { description: "The product itself." });
  return schema;
}

const productParts = {
  organisation: OrganisationAllDetailSchema.describe("The organisation of the product's unit."),
  unit: UnitAllDetailSchema.describe("The unit the product belongs to."),
  storage: ProductDmStorageDetailSchema.describe("The product's storage today."),
  coins: ProductCoinsDetailSchema.describe("The product's coins in the current period."),
  claimable: z.boolean().describe("Whether the product can (needs to) be claimed."),
};

export const ProductDmStorageSchema = looseObject({
  product: productOfType("DATA_MANAGER_STORAGE_SUBSCRIPTION"),
  ...productParts,
}).meta({ description: "A storage subscription product." });

export const ProductDmProjectTierSchema = looseObject({
  product: productOfType("DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION"),
  ...productParts,
  instance: ProductInstanceDetailSchema.describe("The project instance's use."),
  claim: ProductClaimDetailSchema.optional().describe("What claimed the product, if anything."),
}).meta({
  description:
    "A project-tier subscription product: a storage product's fields plus `instance`, `claim`.",
});

export const AnyProductSchema = z.union([ProductDmProjectTierSchema, ProductDmStorageSchema]).meta({
  description: "Either kind of product, told apart by `product.type`.",
});

export const ProductsGetResponseSchema = looseObject({
  count: Int.describe("The number of products."),
  products: z.array(AnyProductSchema).describe("The products."),
}).meta({ description: "`GET /product`, `/product/unit/{id}`, `/product/organisation/{id}`." });

export const ProductUnitGetResponseSchema = looseObject({
  product: AnyProductSchema.describe("The product."),
}).meta({ description: "`GET /product/{id}`: the product is at `product`." });

export const ProductTypeSchema = looseObject({
  type: z.string().describe("The type, unique among the types the AS knows."),
  flavour: z.string().optional().describe("The flavour, for types that have flavours."),
  service_kind: MerchantKindSchema.optional().describe("The kind of service that uses it."),
}).meta({ description: "A product type." });

export const ProductsGetTypesResponseSchema = looseObject({
  count: Int.describe("The number of product types."),
  product_types: z.array(ProductTypeSchema).describe("The product types."),
}).meta({ description: "`GET /product-type`." });

export const ProductsGetDefaultStorageCostSchema = looseObject({
  default_storage_cost: looseObject({
    cost: z.string().describe("The cost per unit."),
    units: z.string().describe("The unit the cost is per."),
    description: z.string().describe("How storage is charged, in words."),
  }).describe("The default cost of storage."),
}).meta({ description: "`GET /product-default-storage-cost`." });
