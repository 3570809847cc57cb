/**
 * The sandbox Account Server's stored records. They are plain mutable objects owned by one
 * `SandboxState`; the routes turn them into the AS response shapes.
 *
 * @module
 */

import type {
  EventStreamFormat,
  FlavourEnum,
  PrivacyEnum,
  ProductTypeEnum,
  ScopeEnum,
} from "../../client/types.ts";

/** An organisation. The Default organisation has no owner and holds personal units only. */
export interface OrgRecord {
  /** The organisation's id (`org-` and a UUID). */
  id: string;
  /** The organisation's name. */
  name: string;
  /** Username of the owner; undefined for the Default organisation. */
  ownerId?: string;
  /** When it was created (ISO 8601, sandbox clock). */
  created: string;
  /** The privacy new products of the organisation get. */
  defaultProductPrivacy: PrivacyEnum;
  /** Whether the organisation is private. */
  private: boolean;
  /** Usernames of members (the owner is a member without being listed). */
  members: Set<string>;
  /** True for the Default organisation (personal units only). */
  isDefault: boolean;
}

/** A unit. Units of the Default organisation are personal units. */
export interface UnitRecord {
  /** The unit's id (`unit-` and a UUID). */
  id: string;
  /** The id of its organisation. */
  orgId: string;
  /** The unit's name. */
  name: string;
  /** Username of the creator (or the person for a personal unit). */
  ownerId: string;
  /** When it was created (ISO 8601, sandbox clock). */
  created: string;
  /** Day of the month its billing periods start, 1 to 28. */
  billingDay: number;
  /** The privacy new products of the unit get. */
  defaultProductPrivacy: PrivacyEnum;
  /** Whether the unit is private. */
  private: boolean;
  /** Usernames of members (the owner is a member without being listed). */
  members: Set<string>;
  /** True for a personal unit (in the Default organisation). */
  personal: boolean;
}

/** A product (a subscription of a unit). */
export interface ProductRecord {
  /** The product's id (`product-` and a UUID). */
  id: string;
  /** A small integer unique within the sandbox, keying the generated charges. */
  serial: number;
  /** The id of its unit. */
  unitId: string;
  /** The product's name. */
  name: string;
  /** The product's type. */
  type: ProductTypeEnum;
  /** The flavour of a project-tier product. */
  flavour?: FlavourEnum;
  /** Coins per period before the overspend multiplier applies. */
  allowance: number;
  /** The most coins the product may spend in a period. */
  limit: number;
  /** When it was created (ISO 8601, sandbox clock). */
  created: string;
  /** Charges are generated only from this instant on. */
  chargesFrom: Date;
  /** False for products created through the API: they have no invented history. */
  hasDemoCharges: boolean;
  /** Users who run the generated jobs (frozen when the product is made). */
  chargeUsers: string[];
  /** Typical stored bytes, the base of the generated daily storage peaks. */
  baseBytes: number;
  /** The product's claim (an id and an optional name), if it has one. */
  claim?: { id: string; name?: string };
}

/** A merchant (a service that charges products). */
export interface MerchantRecord {
  /** The merchant's integer id. */
  id: number;
  /** When it was created (ISO 8601, sandbox clock). */
  created: string;
  /** The merchant's kind (the sandbox has Data Manager merchants only). */
  kind: "DATA_MANAGER";
  /** The merchant's name. */
  name: string;
  /** The host name of the merchant's API. */
  apiHostname: string;
}

/** An asset: a named value (file or string) made available to merchants. */
export interface AssetRecord {
  /** The asset's id (`asset-` and a UUID). */
  id: string;
  /** The asset's name. */
  name: string;
  /** Username of its creator. */
  creator: string;
  /** What it belongs to: a user, product, unit, organisation, or everyone (`GLOBAL`). */
  scope: ScopeEnum;
  /** The id of what it belongs to (the creator's username for `USER`, `""` for `GLOBAL`). */
  scopeId: string;
  /** Whether its content is secret (never shown in listings). */
  secret: boolean;
  /** Whether it is disabled. */
  disabled: boolean;
  /** The value: file content or string. */
  content: string;
  /** When it was created (ISO 8601, sandbox clock). */
  created: string;
  /** When its content last changed, if ever. */
  contentModified?: string;
  /** A description, if one was given. */
  description?: string;
  /** Ids of attached merchants. */
  merchantIds: Set<number>;
}

/** An event stream (at most one per user). */
export interface EventStreamRecord {
  /** The event stream's integer id. */
  id: number;
  /** Username of its owner. */
  owner: string;
  /** The stream's name. */
  name: string;
  /** The stream's UUID (part of its location). */
  uuid: string;
  /** The format events are sent in. */
  format: EventStreamFormat;
}

/** An entry of the admin action log. */
export interface ActionRecord {
  /** The entry's number, from 1 in log order. */
  id: number;
  /** What happened, e.g. `UNIT_CREATED`. */
  action: string;
  /** When it happened (ISO 8601, sandbox clock). */
  timestamp: string;
  /** Structured content, rendered as protocol text or JSON on request. */
  fields: Record<string, string | number | boolean>;
  /** The merchant involved, if any. */
  merchantId?: number;
  /** The product involved, if any. */
  productId?: string;
  /** The unit involved, if any. */
  unitId?: string;
  /** The organisation involved, if any. */
  orgId?: string;
}
