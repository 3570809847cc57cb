/**
 * What charge generation depends on besides the product (shared by `charges.ts` and
 * `processing.ts`).
 *
 * @module
 */

import type { Period } from "../periods.ts";
import type { MerchantRecord } from "./records.ts";

/** Everything besides the product that generation depends on. */
export interface GenerateOptions {
  /** The sandbox seed. */
  seed: number;
  /** The sandbox clock: nothing at or after it exists yet. */
  now: Date;
  /** Billing day of the product's unit (1..28). */
  billingDay: number;
  /** The dates asked for, `[from, until)`. */
  range: Period;
  /** Merchants that may have charged the product (non-empty). */
  merchants: readonly MerchantRecord[];
  /** Processing charges in one full billing period. */
  processingPerPeriod: number;
  /** Only count and total the items (the item lists stay empty). */
  totalsOnly?: boolean;
}
