/**
 * Rates from the environment, for the report server and the scheduled job:
 * `REPORTS_RATES` (the path of a rates file, see rates.ts) and `REPORTS_ALLOW_UNPRICED`
 * (`yes` leaves rows of units without a rate unpriced instead of failing their report).
 *
 * @module
 */

import type { EnvLookup } from "../../client/env.ts";
import { ConfigError } from "../../client/errors.ts";
import { type RateTable, readRatesFile } from "./rates.ts";

/** The pricing settings of a server or job. */
export interface RatesSettings {
  /** The rates, when `REPORTS_RATES` is set. */
  rates?: RateTable;
  /** `REPORTS_ALLOW_UNPRICED=yes`. */
  allowUnpriced: boolean;
}

/**
 * Reads `REPORTS_RATES` and `REPORTS_ALLOW_UNPRICED`.
 *
 * @throws {ConfigError} (exit 2) naming the variable when the file cannot be read or is not
 *   a valid rates file, or when `REPORTS_ALLOW_UNPRICED` is neither yes nor no.
 */
export async function ratesFromEnv(env: EnvLookup): Promise<RatesSettings> {
  const allowText = (env("REPORTS_ALLOW_UNPRICED") ?? "").trim().toLowerCase();
  if (!["", "yes", "no", "true", "false", "1", "0"].includes(allowText)) {
    throw new ConfigError(
      `REPORTS_ALLOW_UNPRICED "${allowText}" is invalid: use yes (leave rows without a rate ` +
        `unpriced) or no (the default: such a report fails, naming the unit)`,
    );
  }
  const allowUnpriced = ["yes", "true", "1"].includes(allowText);
  const path = (env("REPORTS_RATES") ?? "").trim();
  if (path === "") return { allowUnpriced };
  try {
    return { rates: await readRatesFile(path), allowUnpriced };
  } catch (error) {
    throw new ConfigError(
      `REPORTS_RATES: ${(error as Error).message.replace(/; check --rates$/, "")}`,
    );
  }
}
