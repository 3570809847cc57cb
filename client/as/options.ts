/**
 * Options of `new AsApi()`.
 *
 * @module
 */

import type { EnvLookup } from "../env.ts";
import type { BackoffOptions } from "../transport/retry.ts";
import type { SleepFn } from "../transport/timeout.ts";

/** Options of `new AsApi()`; unset values come from the environment or the defaults. */
export interface AsApiOptions {
  /** AS base URL (default `SQUONK2_ASAPI_URL`); trailing slashes are removed. */
  url?: string;
  /** Verify TLS certificates (default `SQUONK2_ASAPI_VERIFY_SSL_CERT` = `yes`). See README. */
  verifySslCert?: boolean;
  /** Environment lookup (default the process environment). */
  env?: EnvLookup;
  /** The fetch to use (default the global one); inject in tests. */
  fetch?: typeof fetch;
  /**
   * Timeout of each wait on the server, in seconds (default `SQUONK2_ASAPI_TIMEOUT_S`, else
   * 4, the Python client's).
   */
  timeoutS?: number;
  /**
   * Where the access tokens passed to the calls come from, named in the message of an
   * answer 401 (e.g. `SQUONK2_ASAPI_TOKEN`), so the user knows what to fix.
   */
  tokenOrigin?: string;
  /** Overall time for one call including retries, in seconds (default: the transport's). */
  deadlineS?: number;
  /** Attempts for idempotent calls (default 3); POST and PATCH are always sent once. */
  attempts?: number;
  /** Statuses retried for idempotent calls (default 408, 429, 500, 502, 503, 504). */
  retryStatuses?: readonly number[];
  /** Longest `Retry-After` obeyed in seconds (default 30). */
  maxRetryAfterS?: number;
  /** Backoff schedule and random source (default 300 ms doubling, cap 5 s, jitter). */
  backoff?: BackoffOptions;
  /** Pause function (default a real timer); inject to test backoff without waiting. */
  sleep?: SleepFn;
  /** Receives one redacted line per attempt (default stderr when SQUONK2_API_DEBUG_REQUESTS=yes). */
  log?: (line: string) => void;
  /** Receives warnings, e.g. about TLS verification (default `console.warn`). */
  warn?: (line: string) => void;
  /** A Deno HTTP client, e.g. `Deno.createHttpClient({ caCerts: [pem] })` for a private CA. */
  client?: Deno.HttpClient;
}
