/**
 * The sandbox's own coin arithmetic, independent of the client's `Coins` so that tests
 * comparing reports with sandbox totals compare two implementations. Every amount the
 * sandbox generates is a whole number of ten-thousandths of a coin (processing charges are
 * rounded to 2..4 places, storage costs 0.0525 per unit), so amounts are `bigint`s of
 * ten-thousandths ("tenK"): sums are plain integer additions and exact at any size.
 *
 * @module
 */

/** Digits after the decimal point of a ten-thousandths amount. */
export const TEN_K_SCALE = 4;

/** Ten-thousandths in one coin. */
export const TEN_K_PER_COIN = 10n ** BigInt(TEN_K_SCALE);

const PLAIN_DECIMAL = /^(-)?(\d+)(?:\.(\d{1,4}))?$/;

/**
 * `tenK` ten-thousandths as a decimal string with `scale` (0..4) places, e.g.
 * `tenKText(123400n, 4)` → `"12.3400"`, `tenKText(123400n, 2)` → `"12.34"`.
 *
 * @throws {RangeError} when `scale` is out of range or would drop non-zero digits.
 */
export function tenKText(tenK: bigint, scale: number = TEN_K_SCALE): string {
  if (!Number.isInteger(scale) || scale < 0 || scale > TEN_K_SCALE) {
    throw new RangeError(`Invalid scale ${scale}: use 0..${TEN_K_SCALE}`);
  }
  const step = 10n ** BigInt(TEN_K_SCALE - scale);
  if (tenK % step !== 0n) {
    throw new RangeError(`${tenK} ten-thousandths do not fit in ${scale} decimal places`);
  }
  const negative = tenK < 0n;
  const digits = ((negative ? -tenK : tenK) / step).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${int}${scale > 0 ? `.${frac}` : ""}`;
}

/**
 * Reads a plain decimal with at most four places (text the sandbox itself wrote, or a
 * constant) as ten-thousandths, e.g. `"0.0525"` → `525n`, `"-3"` → `-30000n`.
 *
 * @throws {RangeError} for anything else (exponents, spaces, five or more places).
 */
export function parseTenK(text: string): bigint {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) {
    throw new RangeError(
      `Cannot read "${text}" as sandbox coins: expected a decimal with at most 4 places`,
    );
  }
  const units = BigInt(m[2]) * TEN_K_PER_COIN +
    BigInt((m[3] ?? "").padEnd(TEN_K_SCALE, "0"));
  return m[1] ? -units : units;
}

/** The nearest IEEE double of `tenK` ten-thousandths (for the AS's number-typed fields). */
export function tenKToNumber(tenK: bigint): number {
  return Number(tenKText(tenK));
}
