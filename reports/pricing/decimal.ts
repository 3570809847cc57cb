/**
 * Exact decimal arithmetic for money, on top of the scaled-bigint {@link Coins}: products
 * of two decimals and rounding half-to-even to a number of decimals. No floats anywhere.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";

/** The exact product `a × b` (its scale is the sum of both scales). */
export function multiply(a: Coins, b: Coins): Coins {
  return new Coins(a.units * b.units, a.scale + b.scale);
}

/**
 * `value` rounded to `digits` decimals, half to even (banker's rounding): a tie goes to the
 * even neighbour, so `0.125` → `0.12`, `0.135` → `0.14`, `-0.125` → `-0.12`. The result
 * has exactly `digits` decimals (`"5"` at 0, `"1.20"` at 2).
 *
 * @throws {RangeError} for a negative or fractional `digits`.
 */
export function roundHalfEven(value: Coins, digits: number): Coins {
  if (!Number.isInteger(digits) || digits < 0) throw new RangeError(`Invalid digits ${digits}`);
  if (value.scale <= digits) return value.withScale(digits);
  const divisor = 10n ** BigInt(value.scale - digits);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let quotient = magnitude / divisor;
  const twice = (magnitude % divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
  return new Coins(negative ? -quotient : quotient, digits);
}

/** `value` as a plain decimal string without trailing zeros after the point (`"1.50"` → `"1.5"`). */
export function plainDecimal(value: Coins): string {
  const text = value.toString();
  if (!text.includes(".")) return text === "-0" ? "0" : text;
  const trimmed = text.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}
