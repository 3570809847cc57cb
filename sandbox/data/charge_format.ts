/**
 * Text forms of generated charge values: ISO-8601 timestamps to the second and exact
 * decimal coin strings.
 *
 * @module
 */

import { tenKText } from "./ten_k.ts";

/** An ISO-8601 UTC timestamp without milliseconds, e.g. `2026-03-01T12:34:56Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Ten-thousandths of a coin as a decimal string with `scale` (2..4) places. */
export function coinText(tenK: number, scale: number): string {
  return tenKText(BigInt(tenK), scale);
}
