/**
 * What a priced report says about its money: totals per currency, both as the sum of the
 * rounded rows and as the rounded exact sum, and per unit.
 *
 * @module
 */

/** The money total of one currency in a priced report. */
export interface CurrencyTotal {
  /** ISO 4217 code. */
  currency: string;
  /** Decimals of the currency (its minor unit), e.g. 2 for EUR, 0 for JPY. */
  minorUnits: number;
  /** Rows priced in this currency. */
  rows: number;
  /** Coins of those rows, an exact decimal string. */
  coins: string;
  /** Sum of the rows' amounts, each rounded half-to-even to the minor unit: what the rows add up to. */
  sumOfRoundedRows: string;
  /** The exact (unrounded) sum of coins × price over the rows. */
  exactSum: string;
  /** {@link exactSum} rounded half-to-even to the minor unit. */
  roundedExactSum: string;
  /** `sumOfRoundedRows − roundedExactSum`, at the minor unit; `"0"`-valued when they agree. */
  difference: string;
}

/** The money of one unit in one currency. */
export interface UnitMoney {
  /** Unit id. */
  unitId: string;
  /** Unit name. */
  unitName: string;
  /** Its organisation's name. */
  organisationName: string;
  /** ISO 4217 code. */
  currency: string;
  /** Coins priced in that currency, exact. */
  coins: string;
  /** Sum of the unit's rounded row amounts in that currency. */
  amount: string;
}

/** The pricing of a report (present only when a rates file was given). */
export interface ReportPricing {
  /** The rates file the prices came from. */
  source: string;
  /** One total per currency, by currency code. */
  currencies: CurrencyTotal[];
  /** Money per unit and currency, by unit name then currency. */
  byUnit: UnitMoney[];
  /** Rows left unpriced (only with `--allow-unpriced`); 0 otherwise. */
  unpricedRows: number;
  /** Their coins, an exact decimal string. */
  unpricedCoins: string;
  /** The units left unpriced, as `Unit name (unit-…)`. */
  unpricedUnits: string[];
}
