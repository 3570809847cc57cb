/**
 * Shared pieces of the XQ simulator's routes: turning an {@link XqRefusal} into the
 * service's `{"status": ...}` error body, and the `api-key` check every XQ host performs.
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { timingSafeEqual } from "../../client/secrets.ts";
import { XqRefusal } from "./store.ts";

/** A route handler that may throw {@link XqRefusal}. */
export type XqHandler = (c: Context) => Response | Promise<Response>;

/** Wraps `handler` so a refusal becomes `{"status": message}` with its HTTP status. */
export function guard(handler: XqHandler): XqHandler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof XqRefusal) {
        return c.json({ status: error.message }, error.status as ContentfulStatusCode);
      }
      throw error;
    }
  };
}

/**
 * Requires the general XQ API key in the `api-key` header (Python and the C/PHP SDKs) or
 * the `api-key` query parameter (JAVA/JS `apikey` check). Answers 401
 * `{"status": "Failed to locate API key"}` otherwise, as the reference's fixture shows; the
 * dashboard key is named as such, since it only works on the dashboard host.
 */
export function requireApiKey(apiKey: string, dashboardApiKey: string): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header("api-key") ?? c.req.query("api-key");
    if (given && timingSafeEqual(given, apiKey)) return await next();
    const status = given && timingSafeEqual(given, dashboardApiKey)
      ? "Failed to locate API key: this is the dashboard key, use the general API key"
      : "Failed to locate API key";
    return c.json({ status }, 401);
  };
}
