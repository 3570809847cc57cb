/**
 * Schemas of the AS answers about merchants, assets, event streams and actions (AS 4.4,
 * reference §3.7–§3.9).
 *
 * @module
 */

import { z } from "zod";
import {
  EventStreamProtocolSchema,
  Int,
  looseObject,
  MerchantKindSchema,
  ScopeEnumSchema,
} from "./schema_kit.ts";

/** A merchant (a service that charges, e.g. a Data Manager). */
export const MerchantDetailSchema = looseObject({
  id: Int,
  created: z.string(),
  kind: MerchantKindSchema,
  name: z.string(),
  api_hostname: z.string(),
});

/** `GET /merchant`. */
export const MerchantsGetResponseSchema = looseObject({
  count: Int.optional(),
  merchants: z.array(MerchantDetailSchema),
});

/** A merchant inside an action. */
export const MerchantSummarySchema = looseObject({
  id: Int,
  kind: MerchantKindSchema,
  name: z.string(),
});

/** An asset; secret content is not revealed. */
export const AssetDetailSchema = looseObject({
  creator: z.string(),
  id: z.string(),
  name: z.string(),
  scope: ScopeEnumSchema,
  scope_id: z.string(),
  secret: z.boolean(),
  disabled: z.boolean(),
  content: z.string(),
  created: z.string(),
  content_modified: z.string().optional(),
  description: z.string().optional(),
  merchants: z.array(MerchantDetailSchema),
});

/** `GET /asset`. */
export const AssetGetResponseSchema = looseObject({
  assets: z.array(AssetDetailSchema),
  count: Int,
});

/** `GET /event-stream/version`. */
export const EventStreamVersionGetResponseSchema = looseObject({
  version: z.string(),
  protocol: EventStreamProtocolSchema,
  name: z.string(),
});

/** `GET`/`POST /event-stream`. */
export const EventStreamGetPostResponseSchema = looseObject({
  id: Int,
  name: z.string(),
  location: z.string(),
  format: z.string(),
});

/** One action record. */
export const ActionDetailSchema = looseObject({
  id: Int,
  action: z.string(),
  content: z.string(),
  timestamp: z.string(),
  merchant: MerchantSummarySchema.optional(),
  product_id: z.string().optional(),
  unit_id: z.string().optional(),
  org_id: z.string().optional(),
});

/** `GET /action` (admin only). */
export const ActionGetResponseSchema = looseObject({
  actions: z.array(ActionDetailSchema),
  count: Int,
});
