/**
 * Retry rules shared by every HTTP client of the project (AS and XQ): which methods may be
 * repeated, which statuses call for another attempt, the backoff schedule and the
 * `Retry-After` header. Pure functions; the transport ({@link ./transport.ts}) applies them.
 *
 * Defaults follow ky and ofetch (see `reference/anchors.md` §A): idempotent methods only,
 * 408/429/500/502/503/504, 300 ms × 2^(n−1) capped at 5 s with equal jitter.
 *
 * @module
 */

/** Methods that may safely be sent again: repeating them cannot create a second resource. */
export const IDEMPOTENT_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"];

/** HTTP statuses that call for another attempt of an idempotent request. */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

const HTTP_DATE = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*\b\d{2}:\d{2}:\d{2}\b/;

/** The backoff schedule between attempts and its random source (for the jitter). */
export interface BackoffOptions {
  /** Delay before the second attempt, before jitter (default 300 ms). */
  baseMs?: number;
  /** Upper bound of any computed delay (default 5000 ms). */
  capMs?: number;
  /** Random source in [0, 1) (default `Math.random`); inject a constant in tests. */
  random?: () => number;
}

/** True when a request with `method` may be repeated after a failure (GET, HEAD, PUT, DELETE, OPTIONS). */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.includes(method.toUpperCase());
}

/**
 * The pause before attempt `attempt + 1` after attempt `attempt` (1-based) failed:
 * `min(cap, base × 2^(attempt−1))` with equal jitter, i.e. between half and all of it, so
 * a crowd of clients spreads out while each still waits a meaningful minimum.
 *
 * @example
 * ```ts
 * backoffDelayMs(1, { random: () => 1 }); // 300
 * backoffDelayMs(3, { random: () => 0 }); // 600 (half of 1200)
 * ```
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 300;
  const cap = options.capMs ?? 5000;
  const random = options.random ?? Math.random;
  const full = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(full / 2 + (full / 2) * r);
}

/**
 * Reads a `Retry-After` header: delay-seconds (`"120"`) or an HTTP date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`). Returns the wait in milliseconds (never negative),
 * or `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only accept the shapes of RFC 9110 HTTP dates (a month name and an hh:mm:ss time):
  // Date.parse alone accepts too much ("soon 12" is a valid date to V8).
  if (!HTTP_DATE.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
