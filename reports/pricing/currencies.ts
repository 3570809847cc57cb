/**
 * ISO 4217 minor units (decimals) of the common currencies: how many digits after the point
 * an amount in that currency is rounded to. An unknown code is an error, never a guess.
 *
 * @module
 */

import { UsageError } from "../../client/errors.ts";

/**
 * Minor units of the currencies this toolkit can price in (ISO 4217 "minor unit" column).
 * Most have 2; JPY, KRW, ISK, CLP and a few others 0; BHD, KWD, OMR, JOD, IQD, LYD, TND 3.
 */
export const MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  AED: 2,
  ARS: 2,
  AUD: 2,
  BGN: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  MAD: 2,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  PYG: 0,
  QAR: 2,
  RON: 2,
  RSD: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XAF: 0,
  XOF: 0,
  ZAR: 2,
});

/**
 * The minor units of `code` (an ISO 4217 alphabetic code, upper case).
 *
 * @throws {UsageError} naming the code when it is not in {@link MINOR_UNITS}.
 */
export function minorUnits(code: string): number {
  const digits = Object.hasOwn(MINOR_UNITS, code) ? MINOR_UNITS[code] : undefined;
  if (digits === undefined) {
    throw new UsageError(
      `Unknown currency "${code}": give an ISO 4217 code such as EUR, USD, GBP, CHF or JPY ` +
        `(known: ${Object.keys(MINOR_UNITS).join(", ")})`,
    );
  }
  return digits;
}
