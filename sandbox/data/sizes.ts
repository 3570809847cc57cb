/**
 * The knobs of the demo data and their defaults. Benchmarks turn them up (e.g. 10 x 10 x 5
 * = 500 products); charge items are generated on demand, so large sizes stay cheap.
 *
 * @module
 */

import { UsageError } from "../../client/errors.ts";

/** How much demo data to make. */
export interface SandboxSizes {
  /** Organisations besides the Default one (default 3). */
  organisations: number;
  /** Units in each organisation (default 3). */
  unitsPerOrganisation: number;
  /** Products in each unit (default 3; personal units hold one each). */
  productsPerUnit: number;
  /** Processing charges per project-tier product and full billing period (default 6). */
  processingChargesPerPeriod: number;
  /** Billing periods of history before the current one (default 24, at most 24). */
  periods: number;
}

/** The default sizes: 3 organisations x 3 units x 3 products, 6 jobs a period, 24 periods. */
export const DEFAULT_SIZES: Readonly<SandboxSizes> = {
  organisations: 3,
  unitsPerOrganisation: 3,
  productsPerUnit: 3,
  processingChargesPerPeriod: 6,
  periods: 24,
};

/** Checks the sizes, naming the bad knob. */
export function checkSizes(sizes: SandboxSizes): SandboxSizes {
  const max: Record<keyof SandboxSizes, number> = {
    organisations: 1000,
    unitsPerOrganisation: 1000,
    productsPerUnit: 1000,
    processingChargesPerPeriod: 999,
    periods: 24,
  };
  for (const key of Object.keys(max) as (keyof SandboxSizes)[]) {
    const v = sizes[key];
    if (!Number.isInteger(v) || v < 0 || v > max[key]) {
      throw new UsageError(
        `Sandbox size ${key} "${v}" is invalid: give an integer from 0 to ${max[key]}`,
      );
    }
  }
  const products = sizes.organisations * sizes.unitsPerOrganisation * sizes.productsPerUnit;
  if (products > 100_000) {
    throw new UsageError(
      `Sandbox sizes ask for ${products} products: keep organisations x unitsPerOrganisation x productsPerUnit at 100000 or below`,
    );
  }
  return sizes;
}
