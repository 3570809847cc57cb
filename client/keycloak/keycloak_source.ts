/**
 * Access tokens from Keycloak: the password grant (a person) and the client-credentials
 * grant (a service account), cached until shortly before expiry, renewed with the refresh
 * token when there is one, and shared by concurrent callers.
 *
 * @example
 * ```ts
 * const tokens = new KeycloakTokenSource({
 *   keycloakUrl: "https://example.com/auth",
 *   realm: "squonk",
 *   clientId: "account-server-api",
 *   username: "alice",
 *   password: Deno.env.get("SQUONK2_KEYCLOAK_USER_PASSWORD"),
 * });
 * const token = await tokens.getToken();
 * ```
 *
 * @module
 */

import { AuthError, ConfigError } from "../errors.ts";
import { grantFailure } from "./_grant_errors.ts";
import { jwtExpiryMs } from "./_jwt.ts";
import type { AccessTokenSource } from "./token_source.ts";
import { createTransport } from "../transport/transport.ts";
import type { Transport } from "../transport/types.ts";

/** Options of {@link KeycloakTokenSource}. */
export interface KeycloakTokenSourceOptions {
  /** Keycloak base URL including any context path, e.g. `https://example.com/auth`. */
  keycloakUrl: string;
  /** Realm name, e.g. `squonk`. */
  realm: string;
  /** The AS client id, e.g. `account-server-api`. */
  clientId: string;
  /** Client secret: alone it selects the client-credentials grant; with a user it is sent too. */
  clientSecret?: string;
  /** Username: selects the password grant (with `password`). */
  username?: string;
  /** Password of `username`. Never logged or shown. */
  password?: string;
  /** Renew this long before expiry, in seconds (default 60; at most half the token's lifetime). */
  marginS?: number;
  /** Per-attempt timeout of a token request in seconds (default 10). */
  timeoutS?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /** Receives one redacted line per token request attempt. */
  log?: (line: string) => void;
  /** Pause between attempts (default a real timer); inject in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Cached {
  access: string;
  accessExpiresAt: number;
  renewAt: number;
  refresh?: string;
  refreshExpiresAt: number;
}

/**
 * An {@link AccessTokenSource} backed by Keycloak's token endpoint
 * `${keycloakUrl}/realms/${realm}/protocol/openid-connect/token`.
 */
export class KeycloakTokenSource implements AccessTokenSource {
  #o: KeycloakTokenSourceOptions;
  #tokenUrl: string;
  #http: Transport;
  #now: () => number;
  #cached?: Cached;
  #inFlight?: Promise<string>;
  #requests = 0;

  /**
   * Creates a source; makes no request yet.
   *
   * @throws {ConfigError} when the URL, realm or client id is missing, or neither a user with
   *   a password nor a client secret is given.
   */
  constructor(options: KeycloakTokenSourceOptions) {
    const missing = (["keycloakUrl", "realm", "clientId"] as const).filter((k) => !options?.[k]);
    if (missing.length) {
      throw new ConfigError(`Keycloak token source needs ${missing.join(", ")}: pass them`);
    }
    if (!options.username && !options.clientSecret) {
      throw new ConfigError(
        `Keycloak token source for client "${options.clientId}" needs a username and password ` +
          `(password grant) or a clientSecret (client-credentials grant)`,
      );
    }
    if (options.username && options.password === undefined) {
      throw new ConfigError(
        `Keycloak token source for user "${options.username}" needs a password`,
      );
    }
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const base = options.keycloakUrl.trim().replace(/\/+$/, "");
    this.#tokenUrl = `${base}/realms/${
      encodeURIComponent(options.realm)
    }/protocol/openid-connect/token`;
    this.#http = createTransport({
      name: "keycloak",
      fetch: options.fetch,
      timeoutS: options.timeoutS ?? 10,
      attempts: 2,
      log: options.log,
      sleep: options.sleep,
      secrets: [options.password, options.clientSecret],
    });
  }

  /** Which grant this source uses. */
  get grant(): "password" | "client_credentials" {
    return this.#o.username ? "password" : "client_credentials";
  }

  /** How many token requests were sent so far (refreshes included). */
  get requestCount(): number {
    return this.#requests;
  }

  /**
   * Resolves to a token valid for at least the margin (60 s by default): the cached one,
   * or a refreshed or new one. Concurrent callers share one request. If Keycloak fails while
   * the cached token still has more than 5 s left, that token is returned instead of an error.
   *
   * @throws {AuthError} for refused credentials, an unreachable Keycloak or a bad answer.
   */
  getToken(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.renewAt) return Promise.resolve(cached.access);
    this.#inFlight ??= this.#renew().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Forgets the cached tokens, so the next `getToken()` makes a new grant. */
  clear(): void {
    this.#cached = undefined;
  }

  async #renew(): Promise<string> {
    const cached = this.#cached;
    if (cached?.refresh && this.#now() < cached.refreshExpiresAt) {
      try {
        return await this.#grant({ grant_type: "refresh_token", refresh_token: cached.refresh });
      } catch {
        // A refused or failed refresh (session ended, token revoked): fall back to a new grant.
      }
    }
    this.#cached = undefined;
    const o = this.#o;
    try {
      return await this.#grant(
        o.username
          ? { grant_type: "password", username: o.username, password: o.password ?? "" }
          : { grant_type: "client_credentials" },
      );
    } catch (error) {
      // Keycloak failed while the old token still has a little life left: keep using it (a
      // report should not fail over a Keycloak blip) and try to renew again on the next call.
      if (cached && this.#now() < cached.accessExpiresAt - 5000) {
        this.#cached = { ...cached, renewAt: this.#now() };
        return cached.access;
      }
      throw error;
    }
  }

  async #grant(fields: Record<string, string>): Promise<string> {
    const o = this.#o;
    const form = new URLSearchParams({ ...fields, client_id: o.clientId });
    if (o.clientSecret) form.set("client_secret", o.clientSecret);
    const secrets = [o.password, o.clientSecret, fields.refresh_token];
    const started = this.#now();
    this.#requests++;
    const res = await this.#http.request({
      method: "POST",
      url: this.#tokenUrl,
      form,
      headers: { accept: "application/json" },
      expect: [200],
      retry: true, // asking for a token twice is harmless; a refusal (4xx) is never retried
      secrets,
    });
    const what = fields.grant_type === "password"
      ? `the password grant for user "${o.username}"`
      : fields.grant_type === "refresh_token"
      ? "the refresh grant"
      : `the client-credentials grant for client "${o.clientId}"`;
    const failure = grantFailure(res, { what, grantType: fields.grant_type, secrets });
    if (failure) throw failure;
    const body = res.body as Record<string, unknown>;
    const access = body.access_token;
    if (typeof access !== "string" || access === "") {
      throw new AuthError(
        `Keycloak answered ${what} (HTTP ${res.status}) without an access_token in a JSON body: ` +
          `check that SQUONK2_KEYCLOAK_URL points at Keycloak`,
      );
    }
    this.#cached = this.#remember(access, body, started);
    return access;
  }

  #remember(access: string, body: Record<string, unknown>, started: number): Cached {
    const expiresIn = typeof body.expires_in === "number" && body.expires_in > 0
      ? body.expires_in * 1000
      : undefined;
    // expires_in is relative to the request; fall back to the JWT's exp. With neither, the
    // token is used for this call only (renewAt = now), which is always safe.
    const accessExpiresAt = expiresIn !== undefined
      ? started + expiresIn
      : jwtExpiryMs(access) ?? started;
    const lifetime = Math.max(0, accessExpiresAt - started);
    const margin = Math.min((this.#o.marginS ?? 60) * 1000, lifetime / 2);
    const refresh = typeof body.refresh_token === "string" ? body.refresh_token : undefined;
    const refreshIn = typeof body.refresh_expires_in === "number" ? body.refresh_expires_in : 0;
    return {
      access,
      accessExpiresAt,
      renewAt: accessExpiresAt - margin,
      refresh,
      // refresh_expires_in 0 means "no set expiry" (offline tokens): try it until refused.
      refreshExpiresAt: refreshIn > 0 ? started + refreshIn * 1000 - 1000 : Infinity,
    };
  }
}
