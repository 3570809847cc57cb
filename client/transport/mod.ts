/**
 * The HTTP transport the AS, Keycloak and XQ clients share. Its public face is small: the
 * types of the retry and timing options every client accepts ({@link BackoffOptions},
 * {@link SleepFn}) and the default overall deadline of a call ({@link DEFAULT_DEADLINE_S}).
 * The transport itself (`createTransport` in `transport.ts`) is internal to the clients.
 *
 * The rules it applies, for every client:
 *
 * - `timeoutS` is a read timeout: the longest wait for the response headers and then for
 *   each next chunk of the body; `deadlineS` bounds the whole call, retries and pauses
 *   included.
 * - GET, HEAD, PUT, DELETE and OPTIONS are retried on 408, 429, 500, 502, 503, 504, network
 *   errors, dropped connections, truncated bodies and timeouts; POST and PATCH are sent
 *   exactly once.
 * - Backoff is 300 ms × 2^(n−1), capped at 5 s, with equal jitter; a `Retry-After` (seconds
 *   or an HTTP date) is obeyed exactly, up to `maxRetryAfterS` (30 s by default).
 * - Tokens, passwords, API keys and credential headers are redacted from every log line
 *   and error message.
 *
 * @module
 */

export { DEFAULT_DEADLINE_S } from "./transport.ts";
export type { BackoffOptions } from "./retry.ts";
export type { SleepFn } from "./timeout.ts";
