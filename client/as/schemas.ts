/**
 * Every AS 4.4 answer schema (zod 4), and {@link RESPONSE_SCHEMAS}: the schema of each
 * response type named in the endpoint table. The TypeScript types of `client/types.ts` are
 * inferred from these, so each shape is written once.
 *
 * Rules shared by all of them: unknown fields pass and are kept (newer servers); optional
 * fields are those the spec marks optional; enumerations are the documented ones (a value
 * outside them is an error); charge `coins` are decimal strings, the product `coins` block
 * holds numbers.
 *
 * @module
 */

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

export * from "./schema_kit.ts";
export * from "./schemas_accounts.ts";
export * from "./schemas_charges.ts";
export * from "./schemas_products.ts";
export * from "./schemas_services.ts";

/**
 * The schema of every response type an endpoint answers with, by the type's name (the
 * name the endpoint table uses and error messages show).
 */
export const RESPONSE_SCHEMAS = {
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
} as const;

/** The name of a response type in {@link RESPONSE_SCHEMAS}, e.g. `"ProductChargesGetResponse"`. */
export type ResponseName = keyof typeof RESPONSE_SCHEMAS;
