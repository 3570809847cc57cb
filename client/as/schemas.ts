/**
 * Every AS 4.4 answer schema (zod 4), and {@link RESPONSE_SCHEMAS}: the schema of each
 * response type named in the endpoint table. Internal: the public types are the interfaces
 * of client/as/types.ts, generated from these schemas by `deno task gen-types`
 * (scripts/dev/gen_types.ts), so each shape is written once, here.
 *
 * Each `XSchema` export is the named shape `X` of the generated types (a named sub-shape
 * prints as its name there); its `.meta({ description })` becomes the type's JSDoc and each
 * field's `.describe()` the field's. Edit a schema, then run `deno task gen-types`:
 * tests/types_gen_test.ts fails on a stale file, and `deno check` fails when a generated
 * type and its schema disagree.
 *
 * Rules shared by all of them: unknown fields pass and are kept (newer servers); optional
 * fields are those the spec marks optional; enumerations are the documented ones (a value
 * outside them is an error); charge `coins` are decimal strings, the product `coins` block
 * holds numbers.
 *
 * @module
 */

import type { z } from "zod";
import {
  AsErrorSchema,
  IdResponseSchema,
  OrganisationAllDetailSchema,
  OrganisationGetDefaultResponseSchema,
  OrganisationsGetResponseSchema,
  OrganisationUnitsGetResponseSchema,
  PersonalUnitPutResponseSchema,
  StateGetVersionResponseSchema,
  UnitAllDetailSchema,
  UnitsGetResponseSchema,
  UserAccountDetailSchema,
  UsersGetResponseSchema,
} from "./schemas_accounts.ts";
import {
  ChargesGetResponseSchema,
  OrganisationChargesGetResponseSchema,
  ProductChargesGetResponseSchema,
  UnitChargesGetResponseSchema,
} from "./schemas_charges.ts";
import {
  ProductsGetDefaultStorageCostSchema,
  ProductsGetResponseSchema,
  ProductsGetTypesResponseSchema,
  ProductUnitGetResponseSchema,
} from "./schemas_products.ts";
import {
  ActionGetResponseSchema,
  AssetDetailSchema,
  AssetGetResponseSchema,
  EventStreamGetPostResponseSchema,
  EventStreamVersionGetResponseSchema,
  MerchantDetailSchema,
  MerchantsGetResponseSchema,
} from "./schemas_services.ts";
import type { AsResponseTypes } from "./types.ts";

export * from "./schema_kit.ts";
export * from "./schemas_accounts.ts";
export * from "./schemas_charges.ts";
export * from "./schemas_products.ts";
export * from "./schemas_services.ts";

/**
 * The schema of every response type an endpoint answers with, by the type's name (the
 * name the endpoint table uses and error messages show). Its keys are those of the
 * generated {@link AsResponseTypes}: a new entry needs `deno task gen-types`.
 */
export const RESPONSE_SCHEMAS: { readonly [N in ResponseName]: z.ZodType<AsResponseTypes[N]> } = {
  ActionGetResponse: ActionGetResponseSchema,
  AsError: AsErrorSchema,
  AssetDetail: AssetDetailSchema,
  AssetGetResponse: AssetGetResponseSchema,
  ChargesGetResponse: ChargesGetResponseSchema,
  EventStreamGetPostResponse: EventStreamGetPostResponseSchema,
  EventStreamVersionGetResponse: EventStreamVersionGetResponseSchema,
  IdResponse: IdResponseSchema,
  MerchantDetail: MerchantDetailSchema,
  MerchantsGetResponse: MerchantsGetResponseSchema,
  OrganisationAllDetail: OrganisationAllDetailSchema,
  OrganisationChargesGetResponse: OrganisationChargesGetResponseSchema,
  OrganisationGetDefaultResponse: OrganisationGetDefaultResponseSchema,
  OrganisationsGetResponse: OrganisationsGetResponseSchema,
  OrganisationUnitsGetResponse: OrganisationUnitsGetResponseSchema,
  PersonalUnitPutResponse: PersonalUnitPutResponseSchema,
  ProductChargesGetResponse: ProductChargesGetResponseSchema,
  ProductsGetDefaultStorageCost: ProductsGetDefaultStorageCostSchema,
  ProductsGetResponse: ProductsGetResponseSchema,
  ProductsGetTypesResponse: ProductsGetTypesResponseSchema,
  ProductUnitGetResponse: ProductUnitGetResponseSchema,
  StateGetVersionResponse: StateGetVersionResponseSchema,
  UnitAllDetail: UnitAllDetailSchema,
  UnitChargesGetResponse: UnitChargesGetResponseSchema,
  UnitsGetResponse: UnitsGetResponseSchema,
  UserAccountDetail: UserAccountDetailSchema,
  UsersGetResponse: UsersGetResponseSchema,
};

/** The name of a response type in {@link RESPONSE_SCHEMAS}, e.g. `"ProductChargesGetResponse"`. */
export type ResponseName = keyof AsResponseTypes;
