/**
 * Test-only oracle for coin amounts, built on big.js so that tests never take their expected
 * totals from the code under test (client/coins.ts, or the sandbox's own arithmetic).
 *
 * @module
 */

import Big from "big.js";

/** The exact sum of decimal strings (big.js adds without rounding). */
export function oracleSum(values: Iterable<string>): Big {
  let total = new Big(0);
  for (const value of values) total = total.plus(new Big(value));
  return total;
}

/** `values` summed and written with exactly `places` decimals (e.g. `"12.3400"`). */
export function oracleFixed(values: Iterable<string>, places = 4): string {
  const total = oracleSum(values);
  // Fails rather than round: an oracle must not hide digits.
  if (!total.round(places, Big.roundDown).eq(total)) {
    throw new Error(`oracle sum ${total.toFixed()} has more than ${places} decimals`);
  }
  return total.toFixed(places);
}

/**
 * `values` summed and written with as many decimals as the most precise of them, as
 * Python's `Decimal` (the AS) writes a sum: `["1.50", "0.125"]` → `"1.625"`, `["1.50", "1"]`
 * → `"2.50"`.
 */
export function oracleSumText(values: readonly string[]): string {
  const places = Math.max(0, ...values.map((v) => v.split(".")[1]?.length ?? 0));
  return oracleSum(values).toFixed(places);
}

/** True when two decimal strings are the same amount (`"1.50"` equals `"1.5"`). */
export function sameAmount(a: string, b: string): boolean {
  return new Big(a).eq(new Big(b));
}
