/**
 * Request and response helpers of the transport: building a URL with a query string,
 * reading a response body once (JSON when it says or looks so, text otherwise) and finding
 * a server's own error text in a parsed body.
 *
 * @module
 */

/** Query parameters; `undefined` and `null` values are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined | null>;

/** A response body after reading: nothing, JSON, text, or JSON that did not parse. */
export type ReadBody =
  | { kind: "empty"; text: "" }
  | { kind: "json"; value: unknown; text: string }
  | { kind: "text"; text: string }
  | { kind: "invalid"; text: string; reason: string };

/** Returns `url` with `query` appended (URL-encoded by `URLSearchParams`), skipping empty values. */
export function withQuery(url: string | URL, query?: QueryParams): URL {
  const u = new URL(url);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    u.searchParams.set(key, String(value));
  }
  return u;
}

/**
 * Reads the whole body of `response` as text, then decodes it: JSON when the content type
 * says JSON (a parse failure is `invalid`: a truncated or corrupt body), JSON when it looks
 * like a JSON object or array, text otherwise, `empty` for no bytes. Reading errors (dropped
 * connection, abort) are thrown to the caller.
 */
export async function readBody(response: Response): Promise<ReadBody> {
  const text = await response.text();
  if (text.trim() === "") return { kind: "empty", text: "" };
  const type = (response.headers.get("content-type") ?? "").toLowerCase();
  const saysJson = type.includes("json");
  const looksJson = /^\s*[[{]/.test(text);
  if (!saysJson && !looksJson) return { kind: "text", text };
  try {
    return { kind: "json", value: JSON.parse(text), text };
  } catch (error) {
    if (!saysJson) return { kind: "text", text };
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: "invalid", text, reason };
  }
}

/**
 * The server's own error text in a decoded body, if any: `error` (the AS `{"error": "..."}`),
 * then `message`, `detail`, `error_description` (Keycloak, RFC 6749), or a short plain-text
 * body. Returns `undefined` when there is none.
 */
export function extractServerMessage(body: ReadBody): string | undefined {
  if (body.kind === "json" && body.value && typeof body.value === "object") {
    const v = body.value as Record<string, unknown>;
    for (const key of ["error", "message", "detail", "error_description"]) {
      const text = v[key];
      if (typeof text === "string" && text.trim() !== "") return text.trim();
    }
    return undefined;
  }
  if (body.kind === "text") {
    const line = body.text.trim().split("\n")[0];
    // An HTML error page is no message for a user; a short line of text is.
    if (line.length > 0 && line.length <= 200 && !line.startsWith("<")) return line;
  }
  return undefined;
}
