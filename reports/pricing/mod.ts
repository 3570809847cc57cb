/**
 * Prices in money: rates files (price per coin per organisation or unit, from a date on),
 * ISO 4217 minor units, exact half-to-even rounding per row, and money totals per currency.
 *
 * @example Price a collected report
 * ```ts
 * import { priceReport, readRatesFile } from "@squonk2/billing/reports";
 * import type { ChargeReport } from "@squonk2/billing/reports";
 *
 * declare const report: ChargeReport; // e.g. from collectCharges
 * const priced = await priceReport(report, await readRatesFile("rates.csv"));
 * console.log(priced.pricing?.currencies);
 * ```
 *
 * @module
 */

export { MINOR_UNITS, minorUnits } from "./currencies.ts";
export { multiply, plainDecimal, roundHalfEven } from "./decimal.ts";
export {
  isPriced,
  priceCoins,
  type PriceOptions,
  priceReport,
  rateFor,
  rowDate,
  type RowPrice,
} from "./price.ts";
export { parseRates, type Rate, RATE_COLUMNS, type RateTable, readRatesFile } from "./rates.ts";
export type { CurrencyTotal, ReportPricing, UnitMoney } from "./types.ts";
export { moneyLines } from "./summary.ts";
export { MONEY_COLUMNS, MONEY_HEADERS, moneyFields } from "./columns.ts";
export { ratesFromEnv, type RatesSettings } from "./env.ts";

// The exact decimal type of the arithmetic above (its home is "@squonk2/billing/client"),
// re-exported so that this entry documents the signatures that use it.
export type { Coins } from "../../client/coins.ts";
