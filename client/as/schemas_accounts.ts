/**
 * Schemas of the AS answers about the service, users, organisations and units (AS 4.4,
 * reference §3.1–§3.4). Optional fields are those the spec marks optional.
 *
 * @module
 */

import { z } from "zod";
import { Int, looseObject, PrivacyEnumSchema } from "./schema_kit.ts";

export const AsErrorSchema = looseObject({
  error: z.string().describe("Brief error text that can be shown to a user."),
}).meta({ description: '`{"error": "..."}`: the AS body for 400, 403 and 404 responses.' });

export const StateGetVersionResponseSchema = looseObject({
  version: z.string().describe(
    "The AS version: a semantic version for official (tagged) images, any text otherwise.",
  ),
}).meta({ description: "`GET /version`." });

export const UserDetailSchema = looseObject({
  id: z.string().describe("The username."),
}).meta({ description: "A user, identified by username." });

export const UserAccountDetailSchema = looseObject({
  user: UserDetailSchema.describe("The caller."),
  caller_has_admin_privilege: z.boolean().describe("Whether the caller has AS admin privilege."),
  account_server_roles: z.array(z.string()).describe("The caller's AS realm roles (`AsRole`)."),
}).meta({ description: "`GET /user/account`." });

export const OrganisationDetailSchema = looseObject({
  caller_is_member: z.boolean().describe("Whether the caller is a member of the organisation."),
  id: z.string().describe("The organisation's id (`org-` and a UUID)."),
  name: z.string().describe("The organisation's name."),
  owner_id: z.string().optional().describe(
    "The owner's username; absent for the Default organisation.",
  ),
  private: z.boolean().describe("Whether the organisation is private."),
  created: z.string().describe("When the organisation was created (server time, as text)."),
  default_product_privacy: PrivacyEnumSchema.describe(
    "The privacy new products of the organisation get.",
  ),
}).meta({ description: "An organisation; `owner_id` is absent for the Default organisation." });

export const OrganisationAllDetailSchema = looseObject({
  ...OrganisationDetailSchema.shape,
  users: z.array(UserDetailSchema).describe("The organisation's members."),
}).meta({ description: "An organisation with its users." });

export const OrganisationsGetResponseSchema = looseObject({
  count: Int.describe("The number of organisations."),
  organisations: z.array(OrganisationAllDetailSchema).describe("The organisations."),
}).meta({ description: "`GET /organisation`." });

export const OrganisationGetDefaultResponseSchema = looseObject({
  caller_is_member: z.boolean().optional().describe(
    "Whether the caller is a member (only admins are).",
  ),
  id: z.string().optional().describe("The Default organisation's id."),
  name: z.string().optional().describe("The Default organisation's name."),
  private: z.boolean().optional().describe("Whether it is private (the Default one is public)."),
  created: z.string().optional().describe("When it was created (server time, as text)."),
  default_product_privacy: PrivacyEnumSchema.optional().describe(
    "The privacy new products in it get.",
  ),
}).meta({ description: "`GET /default/organisation`: every field optional." });

export const IdResponseSchema = looseObject({
  id: z.string().describe("The id of what was created."),
}).meta({ description: "`{id}` returned by creates (organisation, unit, product, asset)." });

export const UnitDetailSchema = looseObject({
  caller_is_member: z.boolean().describe("Whether the caller is a member of the unit."),
  id: z.string().describe("The unit's id (`unit-` and a UUID)."),
  name: z.string().describe("The unit's name."),
  owner_id: z.string().describe("The owner's username."),
  private: z.boolean().describe("Whether the unit is private."),
  created: z.string().describe("When the unit was created (server time, as text)."),
  billing_day: Int.describe("Day of the month the unit's billing periods start, 1 to 28."),
  default_product_privacy: PrivacyEnumSchema.describe("The privacy new products of the unit get."),
}).meta({ description: "A unit." });

export const UnitAllDetailSchema = looseObject({
  ...UnitDetailSchema.shape,
  users: z.array(UserDetailSchema).describe("The unit's members."),
}).meta({ description: "A unit with its users." });

export const OrganisationUnitsGetResponseSchema = looseObject({
  count: Int.optional().describe("The number of units."),
  organisation: OrganisationAllDetailSchema.describe("The organisation."),
  units: z.array(UnitAllDetailSchema).describe("Its units."),
}).meta({ description: "`GET /organisation/{id}/unit`, and each group of `GET /unit`." });

export const UnitsGetResponseSchema = looseObject({
  units: z.array(OrganisationUnitsGetResponseSchema).describe(
    "The units, one group per organisation.",
  ),
}).meta({ description: "`GET /unit`: units grouped per organisation." });

export const PersonalUnitPutResponseSchema = looseObject({
  organisation_id: z.string().describe("The unit's organisation (the Default organisation)."),
  id: z.string().describe("The personal unit's id."),
}).meta({ description: "`PUT /personal-unit`." });

export const UsersGetResponseSchema = looseObject({
  count: Int.describe("The number of users."),
  organisation: OrganisationDetailSchema.optional().describe(
    "The organisation, when these are its members.",
  ),
  unit: UnitDetailSchema.optional().describe("The unit, when these are its members."),
  users: z.array(UserDetailSchema).describe("The members."),
}).meta({ description: "`GET /organisation/{id}/user`, `GET /unit/{id}/user`." });
