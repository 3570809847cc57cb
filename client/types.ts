/**
 * Request and response shapes of the Squonk2 Account Server API (spec 4.4, reference
 * `squonk2-account-server-api.md` §3).
 *
 * The response types are plain interfaces generated (`deno task gen-types`) from the zod
 * schemas every answer is checked against, so each shape is written once, in the schema.
 * They list the documented fields only; fields a newer server adds are kept at run time.
 * Dates and times are strings (the spec does not declare their format); coins in charges
 * are decimal strings, coins in the product `coins` block are numbers. Request bodies are
 * written here by hand.
 *
 * @module
 */

import type { FlavourEnum, PrivacyEnum, ProductTypeEnum } from "./as/types.ts";

export type * from "./as/types.ts";

/** AS realm roles in Keycloak. */
export type AsRole = "account-server-evaluator" | "account-server-user" | "account-server-admin";

/**
 * The documented answer of endpoints without a body (PATCH 200, DELETE 204, add-user 200 or
 * 201): `{}`, as in the Python client. Not a default for a missing body elsewhere.
 */
export type EmptyResponse = Record<string, never>;

/** `POST /organisation` body. */
export interface OrganisationPostBody {
  /** The organisation's name (at most 80 characters). */
  name: string;
  /** The owner's username. */
  owner: string;
  /** The privacy new products of the organisation get. */
  default_product_privacy?: PrivacyEnum;
}

/** `PATCH /organisation/{id}` body. */
export interface OrganisationPatchBody {
  /** A new name. */
  name?: string;
  /** A new default product privacy. */
  default_product_privacy?: PrivacyEnum;
}

/** `POST /organisation/{id}/unit` body. */
export interface OrganisationUnitPostBody {
  /** The unit's name (at most 80 characters). */
  name: string;
  /** Day of the month the unit's billing periods start, 1 to 28. */
  billing_day: number;
  /** The privacy new products of the unit get. */
  default_product_privacy?: PrivacyEnum;
}

/** `PATCH /unit/{id}` body. */
export interface UnitPatchBody {
  /** A new name. */
  name?: string;
  /** A new default product privacy. */
  default_product_privacy?: PrivacyEnum;
}

/** `POST /product/unit/{id}` body. */
export interface UnitProductPostBody {
  /** The product's name (at most 80 characters). */
  name: string;
  /** The product's type. */
  type: ProductTypeEnum;
  /** The flavour of a project-tier product. */
  flavour?: FlavourEnum;
  /** Coins per period before the overspend multiplier applies (at least 1). */
  allowance?: number;
  /** The most coins the product may spend in a period (at least 1). */
  limit?: number;
}

/** `PATCH /product/{id}` body. */
export interface ProductPatchBody {
  /** A new name (at most 80 characters). */
  name?: string;
  /** A new allowance (at least 1). */
  allowance?: number;
  /** A new limit (at least 1). */
  limit?: number;
}
