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
  id: string;
  name: string;
  /** Username of the owner; undefined for the Default organisation. */
  ownerId?: string;
  created: string;
  defaultProductPrivacy: PrivacyEnum;
  private: boolean;
  /** Usernames of members (the owner is a member without being listed). */
  members: Set<string>;
  isDefault: boolean;
}

/** A unit. Units of the Default organisation are personal units. */
export interface UnitRecord {
  id: string;
  orgId: string;
  name: string;
  /** Username of the creator (or the person for a personal unit). */
  ownerId: string;
  created: string;
  billingDay: number;
  defaultProductPrivacy: PrivacyEnum;
  private: boolean;
  /** Usernames of members (the owner is a member without being listed). */
  members: Set<string>;
  personal: boolean;
}

/** A product (a subscription of a unit). */
export interface ProductRecord {
  id: string;
  /** A small integer unique within the sandbox, keying the generated charges. */
  serial: number;
  unitId: string;
  name: string;
  type: ProductTypeEnum;
  flavour?: FlavourEnum;
  allowance: number;
  limit: number;
  created: string;
  /** Charges are generated only from this instant on. */
  chargesFrom: Date;
  /** False for products created through the API: they have no invented history. */
  hasDemoCharges: boolean;
  /** Users who run the generated jobs (frozen when the product is made). */
  chargeUsers: string[];
  /** Typical stored bytes, the base of the generated daily storage peaks. */
  baseBytes: number;
  claim?: { id: string; name?: string };
}

/** A merchant (a service that charges products). */
export interface MerchantRecord {
  id: number;
  created: string;
  kind: "DATA_MANAGER";
  name: string;
  apiHostname: string;
}

/** An asset: a named value (file or string) made available to merchants. */
export interface AssetRecord {
  id: string;
  name: string;
  creator: string;
  scope: ScopeEnum;
  scopeId: string;
  secret: boolean;
  disabled: boolean;
  content: string;
  created: string;
  contentModified?: string;
  description?: string;
  /** Ids of attached merchants. */
  merchantIds: Set<number>;
}

/** An event stream (at most one per user). */
export interface EventStreamRecord {
  id: number;
  owner: string;
  name: string;
  uuid: string;
  format: EventStreamFormat;
}

/** An entry of the admin action log. */
export interface ActionRecord {
  id: number;
  action: string;
  timestamp: string;
  /** Structured content, rendered as protocol text or JSON on request. */
  fields: Record<string, string | number | boolean>;
  merchantId?: number;
  productId?: string;
  unitId?: string;
  orgId?: string;
}
