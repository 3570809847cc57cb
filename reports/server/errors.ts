/**
 * How the report server answers when something goes wrong: a short HTML page or JSON (by
 * `Accept`), never a stack trace or an internal detail, never a secret. An Account Server
 * failure (including an answer that does not fit its documented shape, a `ProtocolError`)
 * becomes 502 with a message, a missing entity 404.
 *
 * @module
 */

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  ApiError,
  AuthError,
  ProtocolError,
  ReconciliationError,
  StoreError,
  UsageError,
} from "../../client/errors.ts";
import { redact } from "../../client/redact.ts";
import { type Html, html, layout } from "./html.ts";

/** What went wrong, as the user is told. */
export interface Problem {
  status: ContentfulStatusCode;
  /** For the reader: what happened and what to do, in plain words. */
  message: string;
  /** The technical detail (e.g. the endpoint and JSON path), shown small under the message. */
  detail?: string;
  /** A page title instead of the status's usual one. */
  title?: string;
}

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
  400: "This link cannot be used",
  401: "Please sign in",
  404: "Not found",
  500: "Server error",
  502: "Account Server problem",
  503: "Unavailable",
};

/**
 * Answers with the problem as JSON `{error, status, detail?, ...json}` or as a short HTML
 * page: the title, the message, `extra` (more HTML for the reader, e.g. a table), and the
 * technical detail in small print.
 */
export function errorResponse(
  c: Context,
  problem: Problem,
  options: {
    sandbox?: boolean;
    secrets?: readonly string[];
    extra?: Html;
    json?: Record<string, unknown>;
  } = {},
): Response {
  const { status, message } = problem;
  const secrets = options.secrets ?? [];
  const text = redact(message, secrets);
  const detail = problem.detail === undefined ? undefined : redact(problem.detail, secrets);
  c.header("Cache-Control", "no-store");
  if (wantsJson(c)) {
    return c.json({
      error: text,
      status,
      ...(detail === undefined ? {} : { detail }),
      ...options.json,
    }, status);
  }
  const title = problem.title ?? TITLES[status] ?? `Error ${status}`;
  const body = html`
    <section class="card error">
      <h1>${title}</h1>
      <p>${text}</p>
      ${options.extra ?? ""}
      ${detail === undefined
        ? ""
        : html`<p class="detail"><small>Technical detail: ${detail}</small></p>`}
      <p><a href="/">Back to the organisations</a> · <a href="/archive">Archive</a></p>
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
 * failing to obtain an AS token; an answer that does not fit its schema (`ProtocolError`)
 * and totals that do not reconcile are 502 with the technical detail; bad input is 400;
 * everything unexpected is 500 without details.
 */
export function classifyError(error: unknown): Problem {
  if (error instanceof HTTPException) {
    return { status: error.status as ContentfulStatusCode, message: error.message || "Error" };
  }
  // Before ApiError, of which it is a kind: its status is the (expected) HTTP status.
  if (error instanceof ProtocolError) {
    return {
      status: 502,
      title: "Unreadable answer from the Account Server",
      message:
        "The Account Server sent an answer that is not in the form it documents, so nothing was made from it: no report, no partial numbers. Try again later; if it keeps happening, tell the administrators and quote the technical detail below.",
      detail: error.message,
    };
  }
  if (error instanceof ReconciliationError) {
    return {
      status: 502,
      title: "Totals do not match the Account Server",
      message:
        "The charges did not add up to the totals the Account Server reports for them, so the report was not produced: numbers that disagree with the Account Server cannot be used for billing. Try again later; if it keeps happening, tell the administrators and quote the technical detail below.",
      detail: error.message,
    };
  }
  if (error instanceof ApiError) {
    // The Account Server's own words are for API users (they name its endpoints): they go
    // to the technical detail of a failure, and not at all with "not found".
    const said = error.serverMessage ? { detail: `Account Server: ${error.serverMessage}` } : {};
    if (error.status === 404 || error.status === 403) {
      return {
        status: 404,
        message:
          "The Account Server does not know this organisation, unit or product, or does not let the report server see it: pick one from the list of organisations",
      };
    }
    if (error.status === 400) {
      return {
        status: 400,
        message:
          "The Account Server refused to give these charges (for example for a period it does not keep): pick another period from the list of organisations",
        ...said,
      };
    }
    const where = error.status === 0 ? "no answer" : `HTTP ${error.status}`;
    return {
      status: 502,
      message:
        `The Account Server failed (${where}), so no report could be made. Try again in a few minutes; if it keeps happening, tell the administrators`,
      ...said,
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
