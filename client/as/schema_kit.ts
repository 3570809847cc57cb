/**
 * Building blocks of the AS answer schemas: objects that keep unknown fields, decimal coin
 * strings, integers and the documented enumerations (reference §3, §5.2).
 *
 * @module
 */

import { z } from "zod";

/**
 * A JSON object schema that keeps fields it does not know (newer servers add fields; they
 * pass validation and stay in the parsed value).
 *
 * The inferred TypeScript type lists only the documented fields, without an index
 * signature, so a misspelt field is still a compile error; the extra fields are present at
 * run time, as any TypeScript object may carry more properties than its type names.
 */
export function looseObject<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strip> {
  return z.looseObject(shape) as unknown as z.ZodObject<S, z.core.$strip>;
}

/**
 * A plain decimal number as text: optional sign, digits, optional fraction (`"12.50"`,
 * `"-0.3"`, `".5"`, `"7"`). No exponent, no spaces, no thousands separators, no trailing
 * point: exactly what `Coins.parse` (client/coins.ts) reads, so every coin string that
 * passes validation can be summed exactly.
 */
export const DECIMAL_TEXT: RegExp = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

/** The text used when a coin string is not a decimal. */
export const DECIMAL_EXPECTED = 'expected a decimal string such as "12.50"';

/** A coin amount in charges: a decimal string (Python `Decimal`), never a JSON number. */
export const CoinString: z.ZodString = z.string().regex(DECIMAL_TEXT, { error: DECIMAL_EXPECTED })
  .meta({ description: 'Coins as a decimal string such as `"12.50"`, never a JSON number.' });

/**
 * A period bound as the AS sends it. The reference does not declare its format; what a server
 * could mean by a date is `YYYY-MM-DD` or an ISO 8601 date-time (`T` or a space, optional
 * seconds, fraction and zone). Anything else (an empty string above all) is refused: a
 * report must never state a period it cannot read.
 */
export const PERIOD_BOUND_TEXT: RegExp =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** A period bound (`from`, `until`) of a charges answer; see {@link PERIOD_BOUND_TEXT}. */
export function periodBound(description: string): z.ZodString {
  return z.string().regex(PERIOD_BOUND_TEXT, {
    error: "expected a date such as 2026-11-01 (or an ISO 8601 date-time)",
  }).describe(description);
}

/** An integer (record ids, counts, billing days). */
export const Int: z.ZodNumber = z.number().int();

/** A billing day as the charges endpoints declare it: an integer from 1 to 28. */
export const BillingDay: z.ZodNumber = z.number().int().min(1).max(28).meta({
  description: "Day of the month the billing period starts, 1 to 28.",
});

export const PrivacyEnumSchema = z.enum([
  "ALWAYS_PUBLIC",
  "ALWAYS_PRIVATE",
  "DEFAULT_PUBLIC",
  "DEFAULT_PRIVATE",
]).meta({ description: "Product privacy defaults of organisations and units." });

export const ProductTypeEnumSchema = z.enum([
  "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
  "DATA_MANAGER_STORAGE_SUBSCRIPTION",
]).meta({ description: "The two product types." });

export const FlavourEnumSchema = z.enum(["EVALUATION", "BRONZE", "SILVER", "GOLD"]).meta({
  description: "Flavours of project-tier products.",
});

export const ScopeEnumSchema = z.enum(["USER", "PRODUCT", "UNIT", "ORGANISATION", "GLOBAL"]).meta({
  description: "Asset scopes.",
});

export const EventStreamFormatSchema = z.enum(["PROTOCOL_STRING", "JSON_STRING"]).meta({
  description: "Event stream and action formats.",
});

export const ChargeTypeSchema = z.enum(["PROCESSING", "STORAGE"]).meta({
  description: "Charge types.",
});

export const MerchantKindSchema = z.enum(["DATA_MANAGER"]).meta({
  description: "The one merchant (service) kind.",
});

export const EventStreamProtocolSchema = z.enum([
  "WEBSOCKET",
  "SERVICE_NOT_PRESENT",
  "ERROR_INTERNAL",
]).meta({ description: "Event-stream service protocols." });
