/**
 * Redaction of credentials from text that may reach a log line, an error message or a
 * report: bearer tokens, JWTs, secret-looking query or form fields, and XQ locator tokens in
 * key URLs.
 *
 * @module
 */

const REDACTED = "[REDACTED]";

const PATTERNS: readonly RegExp[] = [
  // A JWT anywhere (header.payload.signature, base64url).
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  // Authorization header values.
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  // key=value pairs in URLs, forms and messages.
  /\b(access_token|refresh_token|id_token|client_secret|password|api[-_]?key|token|pin)=([^&\s"']+)/gi,
  // "key": "value" pairs in JSON text.
  /"(access_token|refresh_token|id_token|client_secret|password|api[-_]?key|token|pin)"\s*:\s*"[^"]*"/gi,
  // XQ locator tokens in key URLs (`.../v2/key/<locator token>`): a locator opens its key.
  /\/key\/[^\s/?#"')]+/g,
];

/**
 * Returns `text` with tokens, passwords and API keys replaced by `[REDACTED]`.
 *
 * Besides the generic patterns, every non-empty string of `secrets` is replaced wherever
 * it occurs (use it for the configured password, client secret and API keys).
 *
 * @example
 * ```ts
 * redact("GET /x?access_token=abc"); // "GET /x?access_token=[REDACTED]"
 * ```
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(PATTERNS[0], REDACTED);
  out = out.replace(PATTERNS[1], (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(PATTERNS[2], (_m, key: string) => `${key}=${REDACTED}`);
  out = out.replace(PATTERNS[3], (_m, key: string) => `"${key}": "${REDACTED}"`);
  out = out.replace(PATTERNS[4], `/key/${REDACTED}`);
  return out;
}

/** Returns `url` with credentials in its query string and user-info removed. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = "";
      u.password = "";
    }
    return redact(u.toString());
  } catch {
    return redact(String(url));
  }
}
