/**
 * Wire forms of the XQ client: packet bodies as the Python SDK sends them, and tolerant
 * readers for the replies the SDKs disagree on (reference §3.4, §4d, §6).
 *
 * @module
 */

import { UsageError } from "../errors.ts";

/** Options shared by the packet calls. */
export interface PacketOptions {
  /** Hours the key stays readable, a positive integer (default 24, like the Python SDK). */
  expiresHours?: number;
  /** Packet `type`: an integer or a string (defaults differ per call, as in Python). */
  type?: number | string;
  /** `meta.subject`, shown in the XQ dashboard's communications. */
  subject?: string;
}

/** A secret key: a string, or bytes that are valid UTF-8 (decoded like Python does). */
export type XqKey = string | Uint8Array;

/** Checks and normalises `recipients`; a {@link UsageError} when empty or blank. */
export function recipientList(recipients: readonly string[]): string[] {
  const list = recipients.map((r) => String(r).trim()).filter(Boolean);
  if (list.length === 0) {
    throw new UsageError(
      "No recipients given: pass at least one email, <id>@alias.local or xq.public",
    );
  }
  return list;
}

/** Checks `hours`: a positive integer, like the Python SDK's `expires_hours: int`. */
export function expiresHours(hours: number | undefined): number {
  const value = hours ?? 24;
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(
      `Invalid expiry "${hours}" hours: give a whole number of hours, at least 1`,
    );
  }
  return value;
}

/** The key as the string the packet carries; bytes must be UTF-8 (Python decodes them). */
export function keyText(key: XqKey): string {
  let text: string;
  if (typeof key === "string") {
    text = key;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(key);
    } catch {
      throw new UsageError(
        "Key bytes are not valid UTF-8: encode binary keys as text first (e.g. base64)",
      );
    }
  }
  if (!text) throw new UsageError("Empty key: pass the secret to protect");
  return text;
}

/**
 * The locator tokens of a multi-key `/packet/add` reply, in input order. Accepts the live
 * API's `{"tokens": [{<key>: <token>}, ...]}` (Python examples), the mocks'
 * `{"tokens": [{"locator_token": t, "index": i}]}` and plain `{"tokens": ["t1", ...]}`.
 * Returns `undefined` when the reply has none of these shapes or the count is wrong.
 */
export function tokensFromReply(body: unknown, keys: readonly string[]): string[] | undefined {
  const list = (body as { tokens?: unknown } | undefined)?.tokens;
  if (!Array.isArray(list) || list.length !== keys.length) return undefined;
  const out: string[] = new Array(keys.length);
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (typeof entry === "string") {
      out[i] = entry;
      continue;
    }
    if (!entry || typeof entry !== "object") return undefined;
    const record = entry as Record<string, unknown>;
    if (typeof record.locator_token === "string") {
      const index = typeof record.index === "number" ? record.index : i;
      if (index < 0 || index >= keys.length) return undefined;
      out[index] = record.locator_token;
      continue;
    }
    const byKey = record[keys[i]];
    const first = Object.values(record)[0];
    const token = typeof byKey === "string" ? byKey : first;
    if (typeof token !== "string") return undefined;
    out[i] = token;
  }
  return out.some((t) => typeof t !== "string" || t === "") ? undefined : out;
}

/** Merges a `/keys` reply `{"exported": [{token: key}, ...]}` into one token-to-key map. */
export function keysFromReply(body: unknown): Map<string, string> | undefined {
  const list = (body as { exported?: unknown } | undefined)?.exported;
  if (!Array.isArray(list)) return undefined;
  const out = new Map<string, string>();
  for (const entry of list) {
    if (!entry || typeof entry !== "object") continue;
    for (const [token, key] of Object.entries(entry)) {
      if (typeof key === "string") out.set(token, key);
    }
  }
  return out;
}

/** The server's own text in an XQ reply: `status`, `reason`, `error`, `message`, or short text. */
export function serverText(body: unknown, text: string): string | undefined {
  if (body && typeof body === "object") {
    const v = body as Record<string, unknown>;
    for (const key of ["status", "reason", "error", "message"]) {
      if (typeof v[key] === "string" && (v[key] as string).trim()) return (v[key] as string).trim();
    }
  }
  const line = text.trim().split("\n")[0] ?? "";
  return line && line.length <= 200 && !line.startsWith("<") ? line : undefined;
}

/**
 * The token in a reply body: plain text, a JSON string (`"abc"`, quotes removed), or PHP's/C's
 * `{"exchange": "..."}` form.
 */
export function tokenFromReply(body: unknown, text: string): string | undefined {
  if (typeof body === "string") return body.trim() || undefined;
  if (body && typeof body === "object") {
    const v = (body as Record<string, unknown>).exchange ?? (body as Record<string, unknown>).token;
    return typeof v === "string" && v.trim() ? v.trim() : undefined;
  }
  const t = text.trim();
  return t || undefined;
}
