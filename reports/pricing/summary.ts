/**
 * The money of a priced report in words, for terminals and logs.
 *
 * @module
 */

import type { ReportPricing } from "./types.ts";

/**
 * One line per currency, e.g. `money EUR: 12.35 (sum of 40 rounded rows; exact sum
 * 12.3456 rounds to 12.35)`, the rounding difference when there is one, and the unpriced
 * rows when some were left unpriced.
 */
export function moneyLines(pricing: ReportPricing, indent = "  "): string[] {
  const lines = pricing.currencies.map((c) => {
    const base = `${indent}money ${c.currency}: ${c.sumOfRoundedRows} ` +
      `(sum of ${c.rows} rounded rows; exact sum ${c.exactSum} rounds to ${c.roundedExactSum})`;
    return isZero(c.difference)
      ? base
      : `${base}; rounding difference ${c.difference} ${c.currency}`;
  });
  if (pricing.unpricedRows > 0) {
    lines.push(
      `${indent}unpriced: ${pricing.unpricedRows} rows, ${pricing.unpricedCoins} coins ` +
        `(no rate in ${pricing.source} for ${pricing.unpricedUnits.join(", ")})`,
    );
  }
  return lines;
}

function isZero(decimal: string): boolean {
  return /^-?0*(\.0*)?$/.test(decimal);
}
