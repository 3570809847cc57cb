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

export const MerchantDetailSchema = looseObject({
  id: Int.describe("The merchant's id."),
  created: z.string().describe("When the merchant was registered (server time, as text)."),
  kind: MerchantKindSchema.describe("The merchant's kind."),
  name: z.string().describe("The merchant's name."),
  api_hostname: z.string().describe("The hostname of the merchant's API."),
}).meta({ description: "A merchant (a service that charges, e.g. a Data Manager)." });

export const MerchantsGetResponseSchema = looseObject({
  count: Int.optional().describe("The number of merchants."),
  merchants: z.array(MerchantDetailSchema).describe("The merchants."),
}).meta({ description: "`GET /merchant`." });

export const MerchantSummarySchema = looseObject({
  id: Int.describe("The merchant's id."),
  kind: MerchantKindSchema.describe("The merchant's kind."),
  name: z.string().describe("The merchant's name."),
}).meta({ description: "A merchant inside an action." });

export const AssetDetailSchema = looseObject({
  creator: z.string().describe("The username of who made the asset."),
  id: z.string().describe("The asset's id."),
  name: z.string().describe("The asset's name."),
  scope: ScopeEnumSchema.describe("What the asset belongs to."),
  scope_id: z.string().describe("The id of what it belongs to (e.g. a unit id)."),
  secret: z.boolean().describe("Whether the content is secret (then it is not shown)."),
  disabled: z.boolean().describe("Whether the asset is disabled."),
  content: z.string().describe("The content; not revealed for a secret asset."),
  created: z.string().describe("When the asset was created (server time, as text)."),
  content_modified: z.string().optional().describe("When the content last changed."),
  description: z.string().optional().describe("The asset's description."),
  merchants: z.array(MerchantDetailSchema).describe("The merchants it is attached to."),
}).meta({ description: "An asset; secret content is not revealed." });

export const AssetGetResponseSchema = looseObject({
  assets: z.array(AssetDetailSchema).describe("The assets."),
  count: Int.describe("The number of assets."),
}).meta({ description: "`GET /asset`." });

export const EventStreamVersionGetResponseSchema = looseObject({
  version: z.string().describe("The event-stream service's version."),
  protocol: EventStreamProtocolSchema.describe("How clients connect to stream locations."),
  name: z.string().describe("The name of the event-stream implementation."),
}).meta({ description: "`GET /event-stream/version`." });

export const EventStreamGetPostResponseSchema = looseObject({
  id: Int.describe("The event stream's id."),
  name: z.string().describe("The stream's internal symbolic name."),
  location: z.string().describe("The URL to read events from (typically a WebSocket URL)."),
  format: z.string().describe("The event format (`EventStreamFormat`)."),
}).meta({ description: "`GET`/`POST /event-stream`." });

export const ActionDetailSchema = looseObject({
  id: Int.describe("The action record's id."),
  action: z.string().describe("What was done."),
  content: z.string().describe("The action's details, as text."),
  timestamp: z.string().describe("When it was done (server time, as text)."),
  merchant: MerchantSummarySchema.optional().describe("The merchant involved, if any."),
  product_id: z.string().optional().describe("The product involved, if any."),
  unit_id: z.string().optional().describe("The unit involved, if any."),
  org_id: z.string().optional().describe("The organisation involved, if any."),
}).meta({ description: "One action record." });

export const ActionGetResponseSchema = looseObject({
  actions: z.array(ActionDetailSchema).describe("The actions."),
  count: Int.describe("The number of actions."),
}).meta({ description: "`GET /action` (admin only)." });
