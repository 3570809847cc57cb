/**
 * The key calls of the XQ client: packets on the subscription service and keys on the
 * validation service (reference §2.6-§2.8, §4c, §4d). `XqApi` delegates to these; they need
 * an access token, which `access` supplies or refuses.
 *
 * @module
 */

import { UsageError, XqError } from "../errors.ts";
import { replyToken, type XqHttp } from "./http.ts";
import {
  expiresHours,
  keysFromReply,
  keyText,
  type PacketOptions,
  recipientList,
  tokensFromReply,
  type XqKey,
} from "./wire.ts";

/** Options of `createAndStorePackets`: `meta` is a free string logged with the packets. */
export interface PacketsOptions extends PacketOptions {
  /** Free text sent as `meta.meta`. */
  meta?: string;
}

/** The key calls, with the signatures `XqApi` exposes. */
export interface XqKeyCalls {
  createPacket(recipients: readonly string[], key: XqKey, options?: PacketOptions): Promise<string>;
  storePacket(packet: string): Promise<string>;
  createAndStorePacket(
    recipients: readonly string[],
    key: XqKey,
    options?: PacketOptions,
  ): Promise<string>;
  createAndStorePackets(
    recipients: readonly string[],
    keys: readonly XqKey[],
    options?: PacketsOptions,
  ): Promise<string[]>;
  fetchKey(locatorToken: string): Promise<string>;
  fetchKeys(locatorTokens: readonly string[]): Promise<Map<string, string>>;
  revokeKey(locatorToken: string): Promise<void>;
}

const PACKET_FAILED = { what: "Packet creation failed", fix: packetFix };

/** Creates the key calls over `http`; `access(method)` returns the access token or throws. */
export function createKeyCalls(http: XqHttp, access: (method: string) => string): XqKeyCalls {
  return {
    /** `POST /packet`: wraps `key` for `recipients`; resolves to packet text for `storePacket`. */
    async createPacket(
      recipients: readonly string[],
      key: XqKey,
      options: PacketOptions = {},
    ): Promise<string> {
      const res = await http.send({
        tokenReply: true,
        service: "subscription",
        method: "POST",
        path: "/packet",
        json: packetBody(recipients, options, 3, { key: keyText(key) }),
        token: access("createPacket"),
      }, PACKET_FAILED);
      return replyToken(res, "Packet creation");
    },

    /** Validation `POST /packet`: stores packet text from `createPacket`; resolves to its locator token. */
    async storePacket(packet: string): Promise<string> {
      if (!packet.trim()) throw new UsageError("Empty packet: pass the text createPacket returned");
      const res = await http.send({
        tokenReply: true,
        service: "validation",
        method: "POST",
        path: "/packet",
        body: packet,
        headers: { "content-type": "text/plain;charset=UTF-8" },
        token: access("storePacket"),
      }, PACKET_FAILED);
      return replyToken(res, "Packet storage");
    },

    /** `POST /packet/add`: creates and stores a packet for `key`; resolves to its locator token. */
    async createAndStorePacket(
      recipients: readonly string[],
      key: XqKey,
      options: PacketOptions = {},
    ): Promise<string> {
      const res = await http.send({
        tokenReply: true,
        service: "subscription",
        method: "POST",
        path: "/packet/add",
        json: packetBody(recipients, options, 2, { key: keyText(key) }),
        token: access("createAndStorePacket"),
      }, PACKET_FAILED);
      return replyToken(res, "Packet creation");
    },

    /**
     * `POST /packet/add` with `keys`: one packet per key in a single call, same recipients
     * and lifetime. Resolves to the locator tokens in the order of `keys`.
     */
    async createAndStorePackets(
      recipients: readonly string[],
      keys: readonly XqKey[],
      options: PacketsOptions = {},
    ): Promise<string[]> {
      const texts = keys.map(keyText);
      if (texts.length === 0) throw new UsageError("No keys given: pass at least one key");
      const res = await http.send({
        service: "subscription",
        method: "POST",
        path: "/packet/add",
        json: packetBody(recipients, options, 5, {
          keys: texts,
          meta: { subject: options.subject ?? null, meta: options.meta ?? null },
        }),
        token: access("createAndStorePackets"),
      }, PACKET_FAILED);
      const tokens = tokensFromReply(res.body, texts);
      if (!tokens) {
        throw new XqError(
          `Packet creation failed: expected ${texts.length} tokens in the reply, got ` +
            `${http.redact(res.text.slice(0, 80))}: check XQ_SUBSCRIPTION_URL`,
          { status: res.status, method: res.method, url: res.url },
        );
      }
      return tokens;
    },

    /** Validation `GET /key/<token>`: the stored key text (algorithm prefix kept, as Python does). */
    async fetchKey(locatorToken: string): Promise<string> {
      const token = locatorToken.trim();
      if (!token) throw new UsageError("Empty locator token: pass the token of the sealed item");
      const res = await http.send({
        tokenReply: true,
        service: "validation",
        method: "GET",
        path: `/key/${encodeURIComponent(token)}`,
        token: access("fetchKey"),
        // The locator token opens the key: never in a message or log line.
        secrets: [token, encodeURIComponent(token)],
      }, { what: "Packet retrieval failed", fix: retrievalFix });
      return replyToken(res, "Packet retrieval");
    },

    /**
     * Validation `POST /keys`: several keys at once. Resolves to a token-to-key map holding
     * only the keys the service released (refused, expired or unknown tokens are absent).
     */
    async fetchKeys(locatorTokens: readonly string[]): Promise<Map<string, string>> {
      const tokens = locatorTokens.map((t) => t.trim()).filter(Boolean);
      if (tokens.length === 0) return new Map();
      const res = await http.send({
        service: "validation",
        method: "POST",
        path: "/keys",
        json: tokens,
        token: access("fetchKeys"),
        secrets: tokens,
        retry: true, // a read despite the POST: safe to repeat
      }, { what: "Packet retrieval failed", fix: retrievalFix });
      const keys = keysFromReply(res.body);
      if (!keys) {
        throw new XqError(
          "Packet retrieval failed: the reply has no exported keys: check XQ_VALIDATION_URL",
          {
            status: res.status,
            method: res.method,
            url: res.url,
          },
        );
      }
      return keys;
    },

    /** Validation `DELETE /key/<token>`: revokes a key (sender only). */
    async revokeKey(locatorToken: string): Promise<void> {
      await http.send({
        service: "validation",
        method: "DELETE",
        path: `/key/${encodeURIComponent(locatorToken.trim())}`,
        token: access("revokeKey"),
        secrets: [locatorToken.trim(), encodeURIComponent(locatorToken.trim())],
      }, { what: "Key revocation failed", fix: retrievalFix });
    },
  };
}

function packetBody(
  recipients: readonly string[],
  options: PacketOptions,
  defaultType: number,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    type: options.type ?? defaultType,
    recipients: recipientList(recipients), // a JSON array, as Python sends it
    expires: expiresHours(options.expiresHours),
    meta: { subject: options.subject ?? null },
    ...extra,
  };
}

function packetFix(status: number): string | undefined {
  if (status === 400) return "check the recipients, expiry and key";
  if (status === 401) return "the access token is missing or expired: authenticate again";
  return undefined;
}

function retrievalFix(status: number): string | undefined {
  if (status === 403) return "this reader is not a recipient: sign in as a listed recipient";
  if (status === 404) return "the locator token is unknown or the key was revoked";
  if (status === 410) return "the key has expired: ask the sender to seal the file again";
  if (status === 401) return "the access token is missing or expired: authenticate again";
  return undefined;
}
