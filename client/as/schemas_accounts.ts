/**
 * Schemas of the AS answers about the service, users, organisations and units (AS 4.4,
 * reference §3.1–§3.4). Optional fields are those the spec marks optional.
 *
 * @module
 */

import { z } from "zod";
import { Int, looseObject, PrivacyEnumSchema } from "./schema_kit.ts";

/** `{"error": "..."}`: the AS body for 400, 403 and 404 responses. */
export const AsErrorSchema = looseObject({ error: z.string() });

/** `GET /version`. */
export const StateGetVersionResponseSchema = looseObject({ version: z.string() });

/** A user, identified by username. */
export const UserDetailSchema = looseObject({ id: z.string() });

/** `GET /user/account`. */
export const UserAccountDetailSchema = looseObject({
  user: UserDetailSchema,
  caller_has_admin_privilege: z.boolean(),
  account_server_roles: z.array(z.string()),
});

/** An organisation; `owner_id` is absent for the Default organisation. */
export const OrganisationDetailSchema = looseObject({
  caller_is_member: z.boolean(),
  id: z.string(),
  name: z.string(),
  owner_id: z.string().optional(),
  private: z.boolean(),
  created: z.string(),
  default_product_privacy: PrivacyEnumSchema,
});

/** An organisation with its users. */
export const OrganisationAllDetailSchema = looseObject({
  ...OrganisationDetailSchema.shape,
  users: z.array(UserDetailSchema),
});

/** `GET /organisation`. */
export const OrganisationsGetResponseSchema = looseObject({
  count: Int,
  organisations: z.array(OrganisationAllDetailSchema),
});

/** `GET /default/organisation`: every field optional. */
export const OrganisationGetDefaultResponseSchema = looseObject({
  caller_is_member: z.boolean().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  private: z.boolean().optional(),
  created: z.string().optional(),
  default_product_privacy: PrivacyEnumSchema.optional(),
});

/** `{id}` returned by creates (organisation, unit, product, asset). */
export const IdResponseSchema = looseObject({ id: z.string() });

/** A unit. */
export const UnitDetailSchema = looseObject({
  caller_is_member: z.boolean(),
  id: z.string(),
  name: z.string(),
  owner_id: z.string(),
  private: z.boolean(),
  created: z.string(),
  billing_day: Int,
  default_product_privacy: PrivacyEnumSchema,
});

/** A unit with its users. */
export const UnitAllDetailSchema = looseObject({
  ...UnitDetailSchema.shape,
  users: z.array(UserDetailSchema),
});

/** `GET /organisation/{id}/unit`, and each group of `GET /unit`. */
export const OrganisationUnitsGetResponseSchema = looseObject({
  count: Int.optional(),
  organisation: OrganisationAllDetailSchema,
  units: z.array(UnitAllDetailSchema),
});

/** `GET /unit`: units grouped per organisation. */
export const UnitsGetResponseSchema = looseObject({
  units: z.array(OrganisationUnitsGetResponseSchema),
});

/** `PUT /personal-unit`. */
export const PersonalUnitPutResponseSchema = looseObject({
  organisation_id: z.string(),
  id: z.string(),
});

/** `GET /organisation/{id}/user`, `GET /unit/{id}/user`. */
export const UsersGetResponseSchema = looseObject({
  count: Int,
  organisation: OrganisationDetailSchema.optional(),
  unit: UnitDetailSchema.optional(),
  users: z.array(UserDetailSchema),
});
