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

/** The product itself; `flavour` only for project tiers. */
export const ProductDetailSchema = looseObject({
  id: z.string(),
  created: z.string(),
  type: ProductTypeEnumSchema,
  flavour: FlavourEnumSchema.optional(),
  name: z.string().optional(),
});

/** The product's `coins` block (numbers). */
export const ProductCoinsDetailSchema = looseObject({
  allowance: z.number(),
  limit: z.number(),
  used: z.number(),
  at_limit: z.boolean(),
  current_burn_rate: z.number(),
  billing_prediction: z.number(),
  billing_prediction_storage_contribution: z.number(),
  billing_day: z.number(),
  allowance_multiplier: z.number(),
  overspend_multiplier: z.number(),
  remaining_days: z.number(),
});

/** Storage detail of a product: humanised sizes and today's coins. */
export const ProductDmStorageDetailSchema = looseObject({
  size: looseObject({
    peak: z.string(),
    current: z.string(),
    unit_size: z.string(),
    units_used: z.number(),
  }),
  coins: looseObject({ used: z.number(), unit_cost: z.number() }),
});

/** Instance detail of a project-tier product. */
export const ProductInstanceDetailSchema = looseObject({
  coins: looseObject({ used: z.number() }),
});

/** A product's claim (e.g. a DM project). */
export const ProductClaimDetailSchema = looseObject({
  id: z.string(),
  name: z.string().optional(),
});

/**
 * `ProductDetail` that must be of `type`: tells the two product variants apart inside
 * {@link AnyProductSchema}. The issue is flagged `variant` so that error messages report
 * the problems of the variant the answer claims to be, not those of the other one.
 */
function productOfType(type: z.output<typeof ProductTypeEnumSchema>) {
  return ProductDetailSchema.refine((p) => p.type === type, {
    error: `expected a product of type ${type}`,
    abort: true,
    params: { variant: true },
  });
}

const productParts = {
  organisation: OrganisationAllDetailSchema,
  unit: UnitAllDetailSchema,
  storage: ProductDmStorageDetailSchema,
  coins: ProductCoinsDetailSchema,
  claimable: z.boolean(),
};

/** A storage subscription product. */
export const ProductDmStorageSchema = looseObject({
  product: productOfType("DATA_MANAGER_STORAGE_SUBSCRIPTION"),
  ...productParts,
});

/** A project-tier subscription product: a storage product's fields plus `instance`, `claim`. */
export const ProductDmProjectTierSchema = looseObject({
  product: productOfType("DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION"),
  ...productParts,
  instance: ProductInstanceDetailSchema,
  claim: ProductClaimDetailSchema.optional(),
});

/** Either kind of product, told apart by `product.type`. */
export const AnyProductSchema = z.union([ProductDmProjectTierSchema, ProductDmStorageSchema]);

/** `GET /product`, `/product/unit/{id}`, `/product/organisation/{id}`. */
export const ProductsGetResponseSchema = looseObject({
  count: Int,
  products: z.array(AnyProductSchema),
});

/** `GET /product/{id}`: the product is at `product`. */
export const ProductUnitGetResponseSchema = looseObject({ product: AnyProductSchema });

/** A product type. */
export const ProductTypeSchema = looseObject({
  type: z.string(),
  flavour: z.string().optional(),
  service_kind: MerchantKindSchema.optional(),
});

/** `GET /product-type`. */
export const ProductsGetTypesResponseSchema = looseObject({
  count: Int,
  product_types: z.array(ProductTypeSchema),
});

/** `GET /product-default-storage-cost`. */
export const ProductsGetDefaultStorageCostSchema = looseObject({
  default_storage_cost: looseObject({
    cost: z.string(),
    units: z.string(),
    description: z.string(),
  }),
});
