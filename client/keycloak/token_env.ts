/**
 * Token sources from configuration: a ready token (`SQUONK2_ASAPI_TOKEN`) or Keycloak
 * settings (`SQUONK2_KEYCLOAK_*`).
 *
 * @module
 */

import { type EnvLookup, processEnv } from "../env.ts";
import { AuthError, ConfigError } from "../errors.ts";
import { jwtExpiryMs } from "./_jwt.ts";
import { KeycloakTokenSource, type KeycloakTokenSourceOptions } from "./keycloak_source.ts";
import type { AccessTokenSource } from "./token_source.ts";

/** A token source that always hands out the same token (e.g. `SQUONK2_ASAPI_TOKEN`). */
export class StaticTokenSource implements AccessTokenSource {
  #token: string;
  #now: () => number;

  /**
   * Wraps `token`; `now` is the clock for the expiry check (default `Date.now`).
   *
   * @throws {ConfigError} when the token is empty.
   */
  constructor(token: string, options: { now?: () => number } = {}) {
    if (typeof token !== "string" || token.trim() === "") {
      throw new ConfigError("The access token is empty: set SQUONK2_ASAPI_TOKEN to a valid token");
    }
    this.#token = token.trim();
    this.#now = options.now ?? Date.now;
  }

  /**
   * Resolves to the token.
   *
   * @throws {AuthError} when the token is a JWT whose `exp` has passed (it cannot be renewed).
   */
  getToken(): Promise<string> {
    const exp = jwtExpiryMs(this.#token);
    if (exp !== undefined && exp <= this.#now()) {
      return Promise.reject(
        new AuthError(
          `The access token in SQUONK2_ASAPI_TOKEN expired at ${new Date(exp).toISOString()}: ` +
            `set a new one or configure SQUONK2_KEYCLOAK_* instead`,
        ),
      );
    }
    return Promise.resolve(this.#token);
  }
}

/** Options of {@link tokenSourceFromEnv} passed on to the Keycloak source. */
export type TokenSourceEnvOptions = Pick<
  KeycloakTokenSourceOptions,
  "fetch" | "now" | "log" | "timeoutS" | "marginS" | "sleep"
>;

/**
 * The token source the environment describes: `SQUONK2_ASAPI_TOKEN` first; otherwise
 * Keycloak from `SQUONK2_KEYCLOAK_URL`, `SQUONK2_KEYCLOAK_REALM`,
 * `SQUONK2_KEYCLOAK_AS_CLIENT_ID` with `SQUONK2_KEYCLOAK_USER` +
 * `SQUONK2_KEYCLOAK_USER_PASSWORD` (password grant; the client secret is sent too when set)
 * or `SQUONK2_KEYCLOAK_AS_CLIENT_SECRET` alone (client-credentials grant).
 *
 * @throws {ConfigError} naming exactly the variables to set.
 */
export function tokenSourceFromEnv(
  env: EnvLookup = processEnv(),
  options: TokenSourceEnvOptions = {},
): AccessTokenSource {
  const get = (name: string) => {
    const v = env(name);
    return v === undefined || v.trim() === "" ? undefined : v;
  };
  const token = get("SQUONK2_ASAPI_TOKEN");
  if (token) return new StaticTokenSource(token, { now: options.now });

  const required = [
    "SQUONK2_KEYCLOAK_URL",
    "SQUONK2_KEYCLOAK_REALM",
    "SQUONK2_KEYCLOAK_AS_CLIENT_ID",
  ];
  const missing = required.filter((name) => !get(name));
  const user = get("SQUONK2_KEYCLOAK_USER");
  const password = env("SQUONK2_KEYCLOAK_USER_PASSWORD");
  const secret = get("SQUONK2_KEYCLOAK_AS_CLIENT_SECRET");
  if (user && !password) missing.push("SQUONK2_KEYCLOAK_USER_PASSWORD");
  if (!user && password) missing.push("SQUONK2_KEYCLOAK_USER");
  const noCredentials = !secret && !user && !password;
  if (missing.length > 0 || noCredentials) {
    const either = "either SQUONK2_KEYCLOAK_AS_CLIENT_SECRET (client credentials) or " +
      "SQUONK2_KEYCLOAK_USER with SQUONK2_KEYCLOAK_USER_PASSWORD (password grant)";
    const names = [...missing, ...(noCredentials ? [either] : [])];
    throw new ConfigError(
      `No AS credentials configured: set ${names.join(", ")}; ` +
        `or set SQUONK2_ASAPI_TOKEN to a ready access token`,
    );
  }
  return new KeycloakTokenSource({
    ...options,
    keycloakUrl: get("SQUONK2_KEYCLOAK_URL")!,
    realm: get("SQUONK2_KEYCLOAK_REALM")!,
    clientId: get("SQUONK2_KEYCLOAK_AS_CLIENT_ID")!,
    clientSecret: secret,
    username: user,
    password: user ? password : undefined,
  });
}
