/**
 * Exact decimal arithmetic for coins. The Account Server sends charge coins as decimal
 * strings (Python `Decimal`); they are added here as scaled `bigint`s, never as floats.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$|^([+-])?\.(\d+)$/;

/** An exact decimal amount of coins: `units / 10^scale`. Immutable. */
export class Coins {
  /** The amount scaled by `10^scale`. */
  readonly units: bigint;
  /** Number of digits after the decimal point. */
  readonly scale: number;

  /** Creates an amount from scaled units; prefer {@link Coins.parse}. */
  constructor(units: bigint, scale = 0) {
    if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`Invalid scale ${scale}`);
    this.units = units;
    this.scale = scale;
  }

  /** Zero coins. */
  static zero(): Coins {
    return new Coins(0n, 0);
  }

  /**
   * Parses a decimal string such as `"12.50"`, `"-0.3"` or `"7"`.
   *
   * @throws {UsageError} when `text` is not a plain decimal number (no exponent, no spaces).
   */
  static parse(text: string): Coins {
    const m = DECIMAL.exec(String(text).trim());
    if (!m) throw new UsageError(`Cannot read coins "${text}": expected a decimal such as "12.50"`);
    const sign = m[1] ?? m[4] ?? "";
    const intPart = m[2] ?? "0";
    const frac = m[3] ?? m[5] ?? "";
    const units = BigInt(intPart + frac) * (sign === "-" ? -1n : 1n);
    return new Coins(units, frac.length);
  }

  /** Sums decimal strings or amounts exactly. */
  static sum(values: Iterable<string | Coins>): Coins {
    let total = Coins.zero();
    for (const v of values) total = total.plus(v);
    return total;
  }

  /** This amount re-expressed with at least `scale` digits after the point. */
  withScale(scale: number): Coins {
    if (scale <= this.scale) return this;
    return new Coins(this.units * 10n ** BigInt(scale - this.scale), scale);
  }

  /** Exact sum of this amount and `other`. */
  plus(other: string | Coins): Coins {
    const o = typeof other === "string" ? Coins.parse(other) : other;
    const scale = Math.max(this.scale, o.scale);
    return new Coins(this.withScale(scale).units + o.withScale(scale).units, scale);
  }

  /** Exact difference `this - other`. */
  minus(other: string | Coins): Coins {
    const o = typeof other === "string" ? Coins.parse(other) : other;
    return this.plus(new Coins(-o.units, o.scale));
  }

  /** -1, 0 or 1 as this amount is less than, equal to or greater than `other`. */
  compare(other: string | Coins): -1 | 0 | 1 {
    const o = typeof other === "string" ? Coins.parse(other) : other;
    const scale = Math.max(this.scale, o.scale);
    const a = this.withScale(scale).units;
    const b = o.withScale(scale).units;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** True when both amounts are numerically equal (`"1.50"` equals `"1.5"`). */
  equals(other: string | Coins): boolean {
    return this.compare(other) === 0;
  }

  /** True when the amount is zero. */
  isZero(): boolean {
    return this.units === 0n;
  }

  /** The decimal string, keeping this amount's scale (e.g. `"12.50"`). */
  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, "0");
    const int = digits.slice(0, digits.length - this.scale);
    const frac = digits.slice(digits.length - this.scale);
    return `${negative ? "-" : ""}${int}${this.scale > 0 ? "." + frac : ""}`;
  }

  /** The nearest IEEE double, for spreadsheet cells and charts only (never for sums). */
  toNumber(): number {
    return Number(this.toString());
  }

  /** Serialises as the decimal string. */
  toJSON(): string {
    return this.toString();
  }
}
