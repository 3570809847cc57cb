/**
 * The Change sheet's flag threshold from the environment, for the report server and the
 * scheduled job: `REPORTS_FLAG_CHANGE` (a percentage, default 25; the `--flag-change` of
 * `deno task charges`).
 *
 * @module
 */

import type { EnvLookup } from "../../client/env.ts";
import { ConfigError, UsageError } from "../../client/errors.ts";
import { DEFAULT_FLAG_CHANGE, parseFlagChange } from "./change.ts";

/**
 * Reads `REPORTS_FLAG_CHANGE`: units and products whose coins changed by more than this
 * percentage, either way, are flagged in the XLSX Change sheet and on the organisation
 * page. Unset or empty: {@link DEFAULT_FLAG_CHANGE} (25).
 *
 * @example
 * ```ts
 * import { flagChangeFromEnv } from "@squonk2/billing/reports";
 *
 * flagChangeFromEnv((name) => ({ REPORTS_FLAG_CHANGE: "12.5%" } as Record<string, string>)[name]);
 * // "12.5"
 * ```
 *
 * @throws {ConfigError} (exit 2) naming the variable when it is not a percentage.
 */
export function flagChangeFromEnv(env: EnvLookup): string {
  const text = (env("REPORTS_FLAG_CHANGE") ?? "").trim();
  if (text === "") return DEFAULT_FLAG_CHANGE;
  try {
    return parseFlagChange(text);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new ConfigError(
      `REPORTS_FLAG_CHANGE "${text}" is not a percentage: give one such as 25 or 12.5 ` +
        `(changes above it, either way, are flagged in the Change sheet), or unset it for ` +
        `the default ${DEFAULT_FLAG_CHANGE}`,
    );
  }
}
