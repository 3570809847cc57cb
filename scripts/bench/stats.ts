/**
 * Small statistics and unit helpers of the benchmarks: percentiles of latencies, the median
 * of repeated runs, and the units figures are printed in.
 *
 * @module
 */

/**
 * The `p`-th percentile (0..100) of `values` by the nearest-rank method: the smallest value
 * with at least p% of the values at or below it. NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

/** The median of `values` (the mean of the middle two for an even count). NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Bytes as mebibytes. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

/** `value` rounded to `digits` decimals (for JSON output without float noise). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A count per second, e.g. rows/s, from a count and milliseconds. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : NaN;
}
