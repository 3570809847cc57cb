/**
 * Types of the shared HTTP transport ({@link ./transport.ts}): its options, a request and
 * its result.
 *
 * @module
 */

import type { ApiError, ApiErrorDetails } from "../errors.ts";
import type { QueryParams } from "./http_body.ts";
import type { BackoffOptions } from "./retry.ts";
import type { SleepFn } from "./timeout.ts";

/** Options of {@link createTransport}; every one has a documented default. */
export interface TransportOptions {
  /** The fetch to call (default `globalThis.fetch`); inject one in tests. */
  fetch?: typeof fetch;
  /** Short label for log lines, e.g. `"as"` or `"xq"` (default `"http"`). */
  name?: string;
  /**
   * Read timeout in seconds (default 10, `DEFAULT_TIMEOUT_S`): the longest wait for the
   * response headers, and then for each next chunk of the body. It restarts with every chunk,
   * so a large body that keeps arriving is never cut by it (the read timeout of Python
   * `requests`); a server that stops sending fails the attempt with a `TimeoutError` saying
   * which wait ran out. `Infinity` for none.
   */
  timeoutS?: number;
  /**
   * Overall deadline of one call in seconds, every attempt, body and pause included
   * (default 300, `DEFAULT_DEADLINE_S`; `Infinity` for none). Stops a body that trickles
   * forever; no retry is started that could not begin before it.
   */
  deadlineS?: number;
  /** Attempts for idempotent requests, first one included (default 3). POST/PATCH: always 1. */
  attempts?: number;
  /** Statuses that cause another attempt (default 408, 429, 500, 502, 503, 504). */
  retryStatuses?: readonly number[];
  /**
   * Whether an attempt that timed out (headers or body) is retried (default true, idempotent
   * methods only; never once the deadline has run out).
   */
  retryOnTimeout?: boolean;
  /** Longest `Retry-After` obeyed, in seconds (default 30); a longer one ends the call. */
  maxRetryAfterS?: number;
  /** Backoff schedule and random source (default 300 ms × 2^(n−1), cap 5 s, equal jitter). */
  backoff?: BackoffOptions;
  /** The pause function (default a cleared `setTimeout`); inject one to test without waiting. */
  sleep?: SleepFn;
  /** Clock in milliseconds (default `Date.now`), for durations, deadline and `Retry-After` dates. */
  now?: () => number;
  /** Receives one redacted line per attempt; absent means no logging. */
  log?: (line: string) => void;
  /**
   * Headers sent with every request (e.g. an XQ `api-key`). Values of credential-like headers
   * (names containing auth, key, token, secret, cookie, session, password, pin) are redacted.
   */
  headers?: Record<string, string>;
  /** Extra strings never to show in a log line or message (passwords, keys). */
  secrets?: readonly (string | undefined)[];
  /** A Deno HTTP client (e.g. from `Deno.createHttpClient({ caCerts })`) for every request. */
  client?: Deno.HttpClient;
  /** Builds the error of an unexpected status (default `new ApiError`); XQ passes `XqError`. */
  httpError?: (message: string, details: ApiErrorDetails) => ApiError;
}

/** One request. Exactly one of `json`, `form` and `body` may be given. */
export interface TransportRequest {
  /** HTTP method, e.g. `"GET"`. */
  method: string;
  /** Absolute URL; path parameters must already be encoded. An invalid URL throws `UsageError`. */
  url: string | URL;
  /** Headers of this request (merged over the transport's); credential values are redacted. */
  headers?: Record<string, string>;
  /** Query parameters; `undefined`/`null` values are skipped. */
  query?: QueryParams;
  /** A JSON body (sets `Content-Type: application/json`). */
  json?: unknown;
  /** A form body: `FormData` (multipart, boundary set by fetch) or `URLSearchParams`. */
  form?: FormData | URLSearchParams;
  /** Any other body (string, bytes, Blob; a stream is never retried); set its `Content-Type`. */
  body?: BodyInit;
  /** Statuses that count as success (default any 2xx). */
  expect?: readonly number[];
  /**
   * Read timeout for this call in seconds (default the transport's): the longest wait for
   * the response headers and for each next body chunk.
   */
  timeoutS?: number;
  /**
   * Overall deadline of this call in seconds, retries and pauses included (default the
   * transport's).
   */
  deadlineS?: number;
  /** Attempts for this call (default the transport's; non-idempotent methods get 1). */
  attempts?: number;
  /** Force (`true`) or forbid (`false`) retries regardless of the method. */
  retry?: boolean;
  /**
   * Take an expected answer labelled JSON that does not parse as plain text (default
   * `false`: such a body is a broken transfer, and an idempotent call is retried). XQ sends
   * bare tokens labelled `application/json`.
   */
  textIfNotJson?: boolean;
  /** The caller's abort signal; an abort is never retried. */
  signal?: AbortSignal;
  /** Strings to redact from this call's log lines and messages (e.g. the access token). */
  secrets?: readonly (string | undefined)[];
}

/** The outcome of a request: success or a classified failure, never thrown. */
export interface TransportResult {
  /** True when a response arrived with an expected status and a readable body. */
  ok: boolean;
  /**
   * HTTP status of the last complete response; 0 when none arrived complete (network error,
   * timeout, connection dropped or body broken after the headers).
   */
  status: number;
  /** Decoded body: JSON value, text, or `undefined` when empty. */
  body: unknown;
  /** Raw text of the last body (`""` when none). */
  text: string;
  /** Headers of the last response (empty when none arrived). */
  headers: Headers;
  /** Attempts made. */
  attempts: number;
  /** Time the whole call took, pauses included, in milliseconds. */
  durationMs: number;
  /** The method and redacted URL, for messages. */
  method: string;
  /** The request URL with credentials redacted. */
  url: string;
  /** Why the call failed (absent when `ok`). Messages are redacted. */
  error?: ApiError;
}

/** Sends requests; create one with {@link createTransport}. */
export interface Transport {
  /** Sends `req`, retrying as configured; resolves to the outcome, never rejects for HTTP. */
  request(req: TransportRequest): Promise<TransportResult>;
}
