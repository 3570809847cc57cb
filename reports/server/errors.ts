/**
 * How the report server answers when something goes wrong: a short HTML page or JSON (by
 * `Accept`), never a stack trace or an internal detail, never a secret. An Account Server
 * failure becomes 502 with a message, a missing entity 404.
 *
 * @module
 */

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, AuthError, StoreError, UsageError } from "../../client/errors.ts";
import { redact } from "../../client/redact.ts";
import { html, layout } from "./html.ts";

/** Throws-able HTTP answer with a user-facing message. */
export function httpError(status: ContentfulStatusCode, message: string): HTTPException {
  return new HTTPException(status, { message });
}

/** True when the client prefers JSON (scripts) over HTML (browsers). */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Credentials required",
  404: "Not found",
  500: "Server error",
  502: "Account Server problem",
  503: "Unavailable",
};

/** Answers with `status` and `message` as JSON `{error}` or as a short HTML page. */
export function errorResponse(
  c: Context,
  problem: { status: ContentfulStatusCode; message: string },
  options: { sandbox?: boolean; secrets?: readonly string[] } = {},
): Response {
  const { status, message } = problem;
  const text = redact(message, options.secrets ?? []);
  c.header("Cache-Control", "no-store");
  if (wantsJson(c)) return c.json({ error: text, status }, status);
  const title = TITLES[status] ?? `Error ${status}`;
  const body = html`
    <section class="card error">
      <h1>${title}</h1>
      <p>${text}</p>
      <p><a href="/">Back to the organisations</a></p>
    </section>
  `;
  return c.html(layout(body, { title, sandbox: options.sandbox }), status);
}

/**
 * Maps an error to a status and a user-facing message.
 *
 * Choices (the reference is silent): the AS answering 404 or 403 for an entity means this
 * server's credentials cannot see it, so the user gets 404; AS 400 (e.g. a period it
 * refuses) stays 400; anything else from the AS (5xx, 401, no answer, timeout) is 502, as is
 * failing to obtain an AS token; bad input is 400; everything unexpected is 500 without
 * details.
 */
export function classifyError(error: unknown): { status: ContentfulStatusCode; message: string } {
  if (error instanceof HTTPException) {
    return { status: error.status as ContentfulStatusCode, message: error.message || "Error" };
  }
  if (error instanceof ApiError) {
    const said = error.serverMessage ? `: ${error.serverMessage}` : "";
    if (error.status === 404 || error.status === 403) {
      return { status: 404, message: `Not found on the Account Server${said}` };
    }
    if (error.status === 400) {
      return { status: 400, message: `The Account Server refused the request${said}` };
    }
    const where = error.status === 0 ? "no answer" : `HTTP ${error.status}`;
    return {
      status: 502,
      message: `The Account Server failed (${where})${said}. Try again later`,
    };
  }
  if (error instanceof AuthError) {
    return {
      status: 502,
      message: "The report server could not log in to the Account Server: check its credentials",
    };
  }
  if (error instanceof StoreError) {
    return { status: 500, message: "The report store failed: see the server log" };
  }
  if (error instanceof UsageError) return { status: 400, message: error.message };
  return { status: 500, message: "Internal server error: see the server log" };
}
