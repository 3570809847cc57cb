/**
 * Request and response helpers of the transport: building a URL with a query string,
 * reading a response body once, chunk by chunk (so a caller can time each wait), decoding
 * it (JSON when it says or looks so, text otherwise) and finding a server's own error text
 * in a decoded body.
 *
 * @module
 */

import { untilAborted } from "./timeout.ts";

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

/** Options of {@link readBodyText} and {@link readBody}. */
export interface ReadBodyOptions {
  /**
   * Stops waiting for the next chunk as soon as it aborts (the read is then cancelled and
   * the promise rejects with the signal's reason), even if the stream itself ignores it.
   */
  signal?: AbortSignal;
  /** Called with the size in bytes of every chunk as it arrives (e.g. to restart a timer). */
  onChunk?: (bytes: number) => void;
}

/**
 * Reads the whole body of `response` chunk by chunk and decodes it as UTF-8 (a leading
 * byte-order mark dropped, like `Response.text()`). Reading errors (dropped connection,
 * abort) are thrown to the caller after the stream has been cancelled.
 */
export async function readBodyText(
  response: Response,
  options: ReadBodyOptions = {},
): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  try {
    for (;;) {
      const next = reader.read();
      const { done, value } = options.signal
        ? await untilAborted(next, options.signal)
        : await next;
      if (done) break;
      options.onChunk?.(value.byteLength);
      parts.push(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    // Not awaited: a source that never settles its cancel must not hold up the caller.
    reader.cancel(error).catch(() => {});
    throw error;
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/**
 * Decodes a body's text: JSON when `contentType` says JSON (a parse failure is `invalid`:
 * a truncated or corrupt body), JSON when it looks like a JSON object or array, text
 * otherwise, `empty` for nothing but white space.
 */
export function decodeBody(text: string, contentType: string | null | undefined): ReadBody {
  if (text.trim() === "") return { kind: "empty", text: "" };
  const type = (contentType ?? "").toLowerCase();
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
 * Reads the whole body of `response` ({@link readBodyText}) and decodes it
 * ({@link decodeBody}). Reading errors (dropped connection, abort) are thrown to the caller.
 */
export async function readBody(
  response: Response,
  options: ReadBodyOptions = {},
): Promise<ReadBody> {
  const text = await readBodyText(response, options);
  return decodeBody(text, response.headers.get("content-type"));
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
