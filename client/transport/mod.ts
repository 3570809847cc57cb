/**
 * The HTTP transport the AS, Keycloak and XQ clients share: read timeouts, an overall
 * deadline, retries of idempotent requests with backoff and `Retry-After`, and a redacted
 * debug log ({@link createTransport}), with the retry rules it applies.
 *
 * @module
 */

export * from "./transport.ts";
export * from "./retry.ts";
