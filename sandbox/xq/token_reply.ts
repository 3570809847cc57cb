/**
 * How the XQ simulator words its token replies: XQ answers a token as plain text, but the
 * SDKs disagree on what else they accept (reference §1.2), so a client must read each form.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";

/**
 * The form of a token reply (every `text/plain` 2xx answer: pre-auth and access tokens,
 * locator tokens, keys):
 * - `"text"`: the token as `text/plain` (the live service's form; the default);
 * - `"json-string"`: the token as a JSON string (`"abc"`), labelled `application/json`;
 * - `"json-labelled"`: the bare token, but labelled `application/json`.
 */
export type TokenReplyForm = "text" | "json-string" | "json-labelled";

/** Middleware rewriting `text/plain` 2xx replies into the form `form()` names. */
export function tokenReplyForm(form: () => TokenReplyForm): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const chosen = form();
    const type = c.res.headers.get("content-type") ?? "";
    if (chosen === "text" || c.res.status >= 300 || !type.startsWith("text/plain")) return;
    const text = await c.res.text();
    const headers = new Headers(c.res.headers);
    headers.set("content-type", "application/json");
    const body = chosen === "json-string" ? JSON.stringify(text) : text;
    c.res = new Response(body, { status: c.res.status, headers });
  };
}
