/**
 * `XqApi`: a fetch-only client for the XQ subscription and validation services, with every
 * method of the Python SDK's `XQAPI` subscription set in camelCase (`validateApiKey`,
 * `authorizeUser`, `codeValidate`, `exchangeKey`, `authorizeAlias`, `createPacket`,
 * `createAndStorePacket`, `createAndStorePackets`) plus the validation calls a round trip
 * needs (`storePacket`, `fetchKey`, `fetchKeys`, `revokeKey`).
 *
 * The bearer token lives in the instance, like the Python SDK's headers: `authorizeUser`
 * keeps the pre-auth token, `exchangeKey` and `authorizeAlias` keep the access token.
 * Unlike Python, failures always throw an {@link XqError} (Python's `authorize_*` return
 * `False`): a TypeScript caller expects a rejected promise, and the message carries the
 * server's reason. Tokens, PINs and API keys never appear in a message.
 *
 * @example
 * ```ts
 * const xq = new XqApi(); // XQ_API_KEY, XQ_SUBSCRIPTION_URL, XQ_VALIDATION_URL
 * await xq.authorizeAlias("reports-bot");
 * const token = await xq.createAndStorePacket(["a@example.com"], ".1secret", { expiresHours: 48 });
 * ```
 *
 * @module
 */

import { AuthError, UsageError } from "../errors.ts";
import { resolveXqConfig, type XqConfigInput } from "./config.ts";
import { createXqHttp, replyToken, type XqHttp, type XqTransportOptions } from "./http.ts";
import { createKeyCalls, type PacketsOptions, type XqKeyCalls } from "./key_calls.ts";
import type { PacketOptions, XqKey } from "./wire.ts";

export type { PacketOptions, XqKey } from "./wire.ts";
export type { PacketsOptions } from "./key_calls.ts";
export type { XqConfigInput } from "./config.ts";
export type { XqTransportOptions } from "./http.ts";
export { DEFAULT_SUBSCRIPTION_URL, DEFAULT_VALIDATION_URL } from "./config.ts";

/** Options of {@link XqApi}: keys, URLs, transport settings; all optional. */
export interface XqApiOptions extends XqConfigInput, XqTransportOptions {
  /** An access token obtained earlier (e.g. by another `XqApi`). */
  accessToken?: string;
}

/** The reply of `GET /apikey`. */
export interface XqApiKeyInfo {
  /** What the key may do, e.g. `authorize`, `packet`, `key`. */
  scopes: string[];
  /** `OK` for a valid key. */
  status: string;
}

/** Optional fields of `authorizeUser`. */
export interface AuthorizeUserOptions {
  /** Sent only when not empty. */
  firstName?: string;
  /** Sent only when not empty. */
  lastName?: string;
  /** Subscribe to the XQ newsletter (default false). */
  newsletter?: boolean;
  /** 0 none, 1 usage reports, 2 tutorials, 3 both (default 0). */
  notifications?: 0 | 1 | 2 | 3;
}

/** Optional fields of `authorizeAlias`. */
export interface AuthorizeAliasOptions {
  /** Shown in the XQ dashboard (default empty). */
  firstName?: string;
  /** Shown in the XQ dashboard (default empty). */
  lastName?: string;
}

/** Client for the XQ subscription and validation services. */
export class XqApi {
  /** Subscription base URL in use (ends in `/v2`). */
  readonly subscriptionUrl: string;
  /** Validation base URL in use (ends in `/v2`). */
  readonly validationUrl: string;
  #http: XqHttp;
  #keys: XqKeyCalls;
  #preAuthToken?: string;
  #accessToken?: string;

  /** Reads missing keys and URLs from the environment; throws ConfigError without `XQ_API_KEY`. */
  constructor(options: XqApiOptions = {}) {
    const config = resolveXqConfig(options);
    this.subscriptionUrl = config.subscriptionUrl;
    this.validationUrl = config.validationUrl;
    this.#http = createXqHttp(config, options);
    this.#accessToken = options.accessToken || undefined;
    this.#keys = createKeyCalls(this.#http, (method) => this.#needAccess(method));
  }

  /** True once an access token is held (after `exchangeKey`, `authorizeAlias` or `setAccessToken`). */
  get isAuthenticated(): boolean {
    return this.#accessToken !== undefined;
  }

  /** Uses `token` as the access token from now on. */
  setAccessToken(token: string): void {
    if (!token.trim()) throw new UsageError("Empty access token: pass the token from exchangeKey");
    this.#accessToken = token.trim();
  }

  /** `GET /apikey`: checks the API key; resolves to its scopes. */
  async validateApiKey(): Promise<XqApiKeyInfo> {
    // Python sends a placeholder bearer here; the key alone is what the service checks, so
    // we send the current access token if any and no authorization header otherwise.
    const res = await this.#http.send({
      service: "subscription",
      method: "GET",
      path: "/apikey",
      token: this.#accessToken,
    }, {
      what: (s) => s === 401 ? "The provided API Key is not valid" : "Failed to verify API key",
      fix: (s) =>
        s === 401 ? "check XQ_API_KEY (the general key, not the dashboard key)" : undefined,
    });
    const body = res.body as Partial<XqApiKeyInfo> | undefined;
    return {
      scopes: Array.isArray(body?.scopes) ? body.scopes.map(String) : [],
      status: typeof body?.status === "string" ? body.status : "OK",
    };
  }

  /**
   * `POST /authorize`: asks XQ to email (or text) a PIN to `user` (an email or phone
   * number). Keeps and returns the pre-auth token for `codeValidate` and `exchangeKey`.
   */
  async authorizeUser(user: string, options: AuthorizeUserOptions = {}): Promise<string> {
    const who = user.trim();
    if (!who) throw new UsageError("Empty user: pass the reader's email address");
    // Names are left out when empty, like the current Python SDK.
    const json: Record<string, unknown> = {
      user: who,
      newsletter: options.newsletter ?? false,
      notifications: options.notifications ?? 0,
    };
    if (options.firstName) json.firstName = options.firstName;
    if (options.lastName) json.lastName = options.lastName;
    const res = await this.#http.send({
      tokenReply: true,
      service: "subscription",
      method: "POST",
      path: "/authorize",
      json,
    }, {
      what: `Access request for "${who}" failed`,
      fix: (s) => s === 400 ? "check the email address or phone number" : undefined,
    });
    const token = replyToken(res, `Access request for "${who}"`);
    this.#preAuthToken = token;
    return token;
  }

  /** `GET /codevalidation?pin=`: submits the PIN the user received. Resolves to `true`. */
  async codeValidate(pin: string | number): Promise<true> {
    const code = String(pin).trim();
    if (!/^\d{4,10}$/.test(code)) {
      throw new UsageError("Invalid PIN format: type the digits from the XQ email");
    }
    await this.#http.send({
      service: "subscription",
      method: "GET",
      path: "/codevalidation",
      query: { pin: code },
      token: this.#needPreAuth("codeValidate"),
      secrets: [code],
    }, {
      what: (s) => s >= 400 && s < 500 ? "The provided pin is incorrect" : "PIN validation failed",
      fix: (s) =>
        s >= 400 && s < 500
          ? "check the code in the XQ email, or request a new one with authorizeUser"
          : undefined,
    });
    return true;
  }

  /**
   * `GET /exchange`: trades the (validated) pre-auth token for an access token, which this
   * instance then uses. `businessId` scopes the token to a business/team (`b=`).
   */
  async exchangeKey(businessId?: string): Promise<string> {
    const res = await this.#http.send({
      tokenReply: true,
      service: "subscription",
      method: "GET",
      path: "/exchange",
      // Current Python: `selector=False` always, `b` only when given.
      query: { selector: "False", b: businessId || undefined },
      token: this.#needPreAuth("exchangeKey"),
      // The pre-auth token is single use: a retried exchange would fail after a lost reply.
      retry: false,
    }, {
      what: "Key Exchange creation failed",
      fix: (s) =>
        s === 401 ? "validate the PIN first, or start again with authorizeUser" : undefined,
    });
    const token = replyToken(res, "Key exchange");
    this.#preAuthToken = undefined;
    this.#accessToken = token;
    return token;
  }

  /** `POST /authorizealias`: an access token for an alias user, without PIN; kept and returned. */
  async authorizeAlias(user: string, options: AuthorizeAliasOptions = {}): Promise<string> {
    const who = user.trim();
    if (!who) throw new UsageError("Empty alias: pass an alias id such as reports-bot");
    const res = await this.#http.send({
      tokenReply: true,
      service: "subscription",
      method: "POST",
      path: "/authorizealias",
      json: { user: who, firstName: options.firstName ?? "", lastName: options.lastName ?? "" },
    }, { what: `Alias authorization for "${who}" failed` });
    const token = replyToken(res, `Alias authorization for "${who}"`);
    this.#accessToken = token;
    return token;
  }

  /** `POST /packet`: wraps `key` for `recipients`; resolves to packet text for `storePacket`. */
  createPacket(
    recipients: readonly string[],
    key: XqKey,
    options?: PacketOptions,
  ): Promise<string> {
    return this.#keys.createPacket(recipients, key, options);
  }

  /** Validation `POST /packet`: stores packet text from `createPacket`; resolves to its locator token. */
  storePacket(packet: string): Promise<string> {
    return this.#keys.storePacket(packet);
  }

  /**
   * `POST /packet/add`: creates and stores a packet for `key` (type 2 by default, expiry 24
   * hours); resolves to its 43-character locator token.
   */
  createAndStorePacket(
    recipients: readonly string[],
    key: XqKey,
    options?: PacketOptions,
  ): Promise<string> {
    return this.#keys.createAndStorePacket(recipients, key, options);
  }

  /**
   * `POST /packet/add` with `keys`: one packet per key in a single call, same recipients
   * and lifetime (type 5 by default). Resolves to the locator tokens in the order of `keys`.
   */
  createAndStorePackets(
    recipients: readonly string[],
    keys: readonly XqKey[],
    options?: PacketsOptions,
  ): Promise<string[]> {
    return this.#keys.createAndStorePackets(recipients, keys, options);
  }

  /**
   * Validation `GET /key/<token>`: the stored key text, algorithm prefix kept (as Python
   * does). Refused (403) for non-recipients, 404 for unknown or revoked, 410 once expired.
   */
  fetchKey(locatorToken: string): Promise<string> {
    return this.#keys.fetchKey(locatorToken);
  }

  /**
   * Validation `POST /keys`: several keys at once. Resolves to a token-to-key map holding
   * only the keys the service released (refused, expired or unknown tokens are absent).
   */
  fetchKeys(locatorTokens: readonly string[]): Promise<Map<string, string>> {
    return this.#keys.fetchKeys(locatorTokens);
  }

  /** Validation `DELETE /key/<token>`: revokes a key (its sender only). */
  revokeKey(locatorToken: string): Promise<void> {
    return this.#keys.revokeKey(locatorToken);
  }

  #needPreAuth(method: string): string {
    if (this.#preAuthToken) return this.#preAuthToken;
    throw new AuthError(`${method} needs a pending access request: call authorizeUser first`);
  }

  #needAccess(method: string): string {
    if (this.#accessToken) return this.#accessToken;
    throw new AuthError(
      `${method} needs an XQ access token: call authorizeAlias, or authorizeUser, codeValidate and exchangeKey`,
    );
  }
}
