/**
 * Request plumbing shared by the sandbox AS routes: the Hono environment (the caller), the
 * error type that becomes `{"error": "..."}`, and body/query readers that answer 400 with a
 * message naming the bad input.
 *
 * @module
 */

import type { Context } from "hono";
import type { Principal } from "../state.ts";

/** Hono environment of the AS app: the authenticated caller. */
export interface AsEnv {
  Variables: { principal: Principal };
}

/** The context type of AS handlers. */
export type AsContext = Context<AsEnv>;

/** Status codes the AS declares for errors. */
export type ErrorStatus = 400 | 401 | 403 | 404;

/** An error answered as `{"error": message}` with `status`. */
export class AsHttpError extends Error {
  override name = "AsHttpError";
  /** The HTTP status to answer with. */
  readonly status: ErrorStatus;

  /** Creates an error answered with `status` and `{"error": message}`. */
  constructor(status: ErrorStatus, message: string) {
    super(message);
    this.status = status;
  }
}

/** A 400 error. */
export function badRequest(message: string): AsHttpError {
  return new AsHttpError(400, message);
}

/** A 403 error. */
export function forbidden(message: string): AsHttpError {
  return new AsHttpError(403, message);
}

/** A 404 error. */
export function notFound(message: string): AsHttpError {
  return new AsHttpError(404, message);
}

/** The authenticated caller of the request. */
export function principalOf(c: AsContext): Principal {
  return c.get("principal");
}

/**
 * Reads a JSON object body, answering 400 when the body is missing, not JSON or not an
 * object; with `allowEmpty` an empty body reads as `{}`.
 */
export async function readJsonObject(
  c: AsContext,
  options: { allowEmpty?: boolean } = {},
): Promise<Record<string, unknown>> {
  let body: unknown;
  const text = await c.req.text();
  if (options.allowEmpty && text.trim() === "") return {};
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not JSON: send a JSON object such as {"name": "..."}');
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object, not " + JSON.stringify(body));
  }
  return body as Record<string, unknown>;
}

/** A name field: a non-empty string of at most 80 characters (the AS limit). */
export function checkName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw badRequest(
      `The "${field}" must be a non-empty string, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  if (value.length > 80) {
    throw badRequest(
      `The ${field} "${value.slice(0, 20)}..." has ${value.length} characters: use at most 80`,
    );
  }
  return value;
}

/** A billing day: an integer 1..28 (29-31 do not exist in every month). */
export function checkBillingDay(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 28) {
    throw badRequest(
      `The billing_day ${
        JSON.stringify(value) ?? "(missing)"
      } is invalid: give an integer from 1 to 28`,
    );
  }
  return value;
}

/** The privacy values the AS knows. */
export const PRIVACY_VALUES = [
  "ALWAYS_PUBLIC",
  "ALWAYS_PRIVATE",
  "DEFAULT_PUBLIC",
  "DEFAULT_PRIVATE",
] as const;

/** A default_product_privacy value, or undefined when absent. */
export function checkPrivacy(value: unknown): (typeof PRIVACY_VALUES)[number] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !(PRIVACY_VALUES as readonly string[]).includes(value)) {
    throw badRequest(
      `The default_product_privacy ${JSON.stringify(value)} is invalid: use one of ${
        PRIVACY_VALUES.join(", ")
      }`,
    );
  }
  return value as (typeof PRIVACY_VALUES)[number];
}

/** An empty 2xx response (201/200 after PUT/PATCH, 204 after DELETE). */
export function empty(status: 200 | 201 | 204): Response {
  return new Response(null, { status });
}
