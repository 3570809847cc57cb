/**
 * Lenient request parsing for the XQ simulator. The SDKs disagree on wire forms (reference
 * §6), and all of them work against the live service, so the simulator accepts every form
 * they send: JSON bodies whatever the content type, `recipients` as an array or a
 * comma-separated string, `type` as an integer or a string, `newsletter` or `newsLetter`.
 *
 * @module
 */

import type { Context } from "hono";
import { type PacketRequest, XqRefusal } from "./store.ts";

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

/** Reads the body as JSON whatever its content type; a 400 refusal if it is not JSON. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object") return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new XqRefusal(400, "Request body must be a JSON object");
}

/** The `user` of `/authorize`: an email (lower-cased) or a phone number; else 400. */
export function parseUser(value: unknown): string {
  const user = typeof value === "string" ? value.trim() : "";
  if (EMAIL.test(user)) return user.toLowerCase();
  if (PHONE.test(user) && (user.match(/\d/g) ?? []).length >= 7) return user;
  throw new XqRefusal(400, `Invalid user "${user}": expected an email address or phone number`);
}

/** The optional `notifications` level 0..3 of `/authorize`; else 400. */
export function parseNotifications(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3) {
    throw new XqRefusal(400, `Invalid notifications "${value}": expected 0, 1, 2 or 3`);
  }
  return n;
}

/** `recipients` as an array or a comma-separated string, trimmed and lower-cased; else 400. */
export function parseRecipients(value: unknown): string[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === "string"
    ? value.split(",")
    : undefined;
  const recipients = (list ?? []).map((r) => String(r).trim().toLowerCase()).filter(Boolean);
  if (recipients.length === 0) {
    throw new XqRefusal(400, "Missing recipients: give at least one email or alias");
  }
  for (const r of recipients) {
    if (r !== "xq.public" && !EMAIL.test(r) && !PHONE.test(r)) {
      throw new XqRefusal(400, `Invalid recipient "${r}"`);
    }
  }
  return recipients;
}

/** Parses the fields common to `POST /packet` and `/packet/add` (without `key`/`keys`). */
export function parsePacketFields(body: Record<string, unknown>): Omit<PacketRequest, "key"> {
  const hours = Number(body.expires ?? 24);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new XqRefusal(
      400,
      `Invalid expires "${body.expires}": expected a positive number of hours`,
    );
  }
  const type = body.type ?? 0;
  if (typeof type !== "number" && typeof type !== "string") {
    throw new XqRefusal(400, `Invalid type "${type}": expected an integer or a string`);
  }
  return {
    recipients: parseRecipients(body.recipients),
    expiresHours: hours,
    type,
    meta: body.meta ?? null,
    dor: body.dor === true || body.dor === "true",
  };
}

/** A key string; else 400. */
export function parseKey(value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new XqRefusal(400, "Missing key: send the secret as a non-empty string");
  }
  return value;
}

/** The bearer token of the request, if any. */
export function bearer(c: Context): string | undefined {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1].trim() : undefined;
}
