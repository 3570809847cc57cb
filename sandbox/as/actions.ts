/**
 * `GET /action` (reference §2.9, §3.9): the admin-only action log. At most one of `m_id`,
 * `org_id`, `unit_id`, `product_id` narrows it; `from` (inclusive) and `until` (exclusive)
 * select by timestamp and default to today and tomorrow (UTC); `format` is
 * `PROTOCOL_STRING` (default: `key: value` pairs) or `JSON_STRING` (a JSON object text).
 * Dates are read like the charges dates (400 when unreadable or not in order).
 *
 * @module
 */

import type { Hono } from "hono";
import type { ActionDetail } from "../../client/types.ts";
import { addDays, parseDateParam, startOfDay } from "../periods.ts";
import type { ActionRecord, SandboxState } from "../state.ts";
import { type AsEnv, badRequest, forbidden, principalOf } from "./http.ts";
import { FORMATS } from "./event_streams.ts";
import { merchantById } from "./merchants.ts";

/** The action content as protocol text (`name: "x" at_limit: false`) or JSON. */
function contentOf(action: ActionRecord, format: string): string {
  if (format === "JSON_STRING") return JSON.stringify(action.fields);
  return Object.entries(action.fields)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

/** A date query value, or a 400 naming it. */
function dateParam(text: string | undefined, name: string, fallback: Date): Date {
  if (text === undefined) return fallback;
  const date = parseDateParam(text);
  if (!date) {
    throw badRequest(
      `The ${name} date "${text}" cannot be read: use YYYY-MM-DD or an ISO-8601 date-time`,
    );
  }
  return date;
}

/** Registers `GET /action` on `app`. */
export function registerActionRoutes(app: Hono<AsEnv>, state: SandboxState): void {
  app.get("/action", (c) => {
    if (!state.isAdmin(principalOf(c))) {
      throw forbidden("The action log needs the account-server-admin role");
    }
    const q = (name: string) => c.req.query(name);
    const format = q("format") ?? "PROTOCOL_STRING";
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw badRequest(`The format "${format}" is invalid: use PROTOCOL_STRING or JSON_STRING`);
    }
    const filters = (["m_id", "org_id", "unit_id", "product_id"] as const).filter((k) =>
      q(k) !== undefined
    );
    if (filters.length > 1) {
      throw badRequest(
        `Give at most one of m_id, org_id, unit_id, product_id (got ${filters.join(", ")})`,
      );
    }
    const today = startOfDay(state.now());
    const from = dateParam(q("from"), "from", today);
    const until = dateParam(q("until"), "until", addDays(today, 1));
    if (from.getTime() >= until.getTime()) {
      throw badRequest(
        `The from date "${q("from") ?? "today"}" is not before the until date "${
          q("until") ?? "tomorrow"
        }"`,
      );
    }
    const merchantId = q("m_id") === undefined ? undefined : merchantById(state, q("m_id")!).id;
    const selected = state.actions.filter((a) => {
      const t = Date.parse(a.timestamp);
      if (t < from.getTime() || t >= until.getTime()) return false;
      if (merchantId !== undefined) return a.merchantId === merchantId;
      if (q("org_id") !== undefined) return a.orgId === q("org_id");
      if (q("unit_id") !== undefined) return a.unitId === q("unit_id");
      if (q("product_id") !== undefined) return a.productId === q("product_id");
      return true;
    });
    const actions = selected.map((a): ActionDetail => {
      const merchant = state.merchants.find((m) => m.id === a.merchantId);
      return {
        id: a.id,
        action: a.action,
        content: contentOf(a, format),
        timestamp: a.timestamp,
        ...(merchant
          ? { merchant: { id: merchant.id, kind: merchant.kind, name: merchant.name } }
          : {}),
        ...(a.productId ? { product_id: a.productId } : {}),
        ...(a.unitId ? { unit_id: a.unitId } : {}),
        ...(a.orgId ? { org_id: a.orgId } : {}),
      };
    });
    return c.json({ count: actions.length, actions });
  });
}
