/**
 * A safe `Content-Disposition` header for downloads (RFC 6266 / RFC 8187): an ASCII
 * fallback `filename="..."` plus `filename*=UTF-8''...`. Quotes, backslashes, CR/LF and other
 * control characters, path separators and non-ASCII are neutralised, so a name taken from
 * the Account Server can never inject a header or a path.
 *
 * @module
 */

/**
 * Cleans a file name: control characters (incl. CR, LF, NUL), quotes, backslashes and path
 * separators become `_`, leading dots are dropped, and it is cut to 180 characters.
 * Returns `fallback` when nothing usable is left.
 */
export function safeFileName(name: string, fallback = "download"): string {
  const cleaned = name.normalize("NFC")
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"\\/:*?<>|;\u2028\u2029]+/g, "_")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(0, 180);
  // Nothing readable left (only separators or replaced characters): use the fallback.
  return /[\p{L}\p{N}]/u.test(cleaned) ? cleaned : fallback;
}

/** The ASCII fallback of a cleaned name: anything outside `[A-Za-z0-9._ ()-]` becomes `_`. */
function asciiFallback(name: string): string {
  const ascii = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._ ()+,=@[\]-]/g, "_");
  return ascii.replace(/^[._ ]+/, "") || "download";
}

/** RFC 8187 `ext-value` encoding: percent-encode everything but attr-chars. */
function encodeExt(name: string): string {
  return encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * Builds `attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>` for `name`.
 *
 * @example
 * ```ts
 * contentDisposition("charges_Café \"A\".csv");
 * // 'attachment; filename="charges_Cafe _A_.csv"; filename*=UTF-8\'\'charges_Caf%C3%A9%20_A_.csv'
 * ```
 */
export function contentDisposition(
  name: string,
  options: { inline?: boolean } = {},
): string {
  const clean = safeFileName(name);
  const type = options.inline ? "inline" : "attachment";
  return `${type}; filename="${asciiFallback(clean)}"; filename*=UTF-8''${encodeExt(clean)}`;
}
