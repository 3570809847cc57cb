/**
 * The sandbox's Keycloak: one realm with one confidential client, users taken from the
 * sandbox state, RS256 tokens signed with a key pair generated at start.
 *
 * @module
 */

import type { Hono } from "hono";
import { UsageError } from "../../client/errors.ts";
import { randomSecret } from "../../client/secrets.ts";
import { createKeycloakApp } from "./app.ts";
import { generateSigningKey } from "./jwt.ts";
import {
  createRealm,
  type Realm,
  type RealmClient,
  type RealmUser,
  type TokenPrincipal,
} from "./realm.ts";
import { createAuthenticator } from "./verify.ts";

export type { RealmClient, RealmUser, TokenPrincipal } from "./realm.ts";
export { serviceAccountName } from "./realm.ts";

/** Options of {@link createKeycloak}. */
export interface KeycloakOptions {
  /** Realm name. @default "squonk" */
  realm?: string;
  /** The AS client id. @default "account-server-api" */
  clientId?: string;
  /** The client secret. @default random */
  clientSecret?: string;
  /**
   * Further confidential clients (password and refresh grants), e.g. to mint tokens "of
   * another client" in tests. @default none
   */
  clients?: readonly RealmClient[];
  /** The users (read at each grant). */
  users: () => readonly RealmUser[];
  /** Roles of `service-account-<clientId>`. */
  serviceAccountRoles: readonly string[];
  /** The Keycloak base URL (`.../auth`); a function because the port is known late. */
  keycloakUrl: () => string;
  /** Access token lifetime in seconds. @default 300 */
  tokenLifetimeS?: number;
  /** Refresh token lifetime in seconds. @default 1800 (Keycloak's SSO idle timeout) */
  refreshTokenLifetimeS?: number;
  /** Called on each token endpoint request. */
  onTokenRequest?: () => void;
}

/** A running sandbox Keycloak. */
export interface SandboxKeycloak {
  /** The Hono app to mount under `/auth`. */
  app: Hono;
  /** Realm name. */
  realm: string;
  /** Client id. */
  clientId: string;
  /** Client secret. */
  clientSecret: string;
  /** Verifies a request's bearer token: the AS simulator's `authenticate` hook. */
  authenticate(request: Request): Promise<TokenPrincipal | null>;
  /** The realm (tokens, key), for in-process use. */
  realmObject: Realm;
}

/** Creates the Keycloak simulator (generates its signing key). */
export async function createKeycloak(options: KeycloakOptions): Promise<SandboxKeycloak> {
  const realmName = options.realm ?? "squonk";
  const clientId = options.clientId ?? "account-server-api";
  const clientSecret = options.clientSecret ?? randomSecret();
  const tokenLifetimeS = options.tokenLifetimeS ?? 300;
  const refreshTokenLifetimeS = options.refreshTokenLifetimeS ?? 1800;
  checkLifetime("tokenLifetimeS", tokenLifetimeS);
  checkLifetime("refreshTokenLifetimeS", refreshTokenLifetimeS);
  const realm = createRealm({
    realm: realmName,
    clientId,
    clientSecret,
    clients: options.clients ?? [],
    users: options.users,
    serviceAccountRoles: options.serviceAccountRoles,
    issuer: () => `${options.keycloakUrl()}/realms/${realmName}`,
    tokenLifetimeS,
    refreshTokenLifetimeS,
    key: await generateSigningKey(),
  });
  return {
    app: createKeycloakApp(realm, { onTokenRequest: options.onTokenRequest }),
    realm: realmName,
    clientId,
    clientSecret,
    authenticate: createAuthenticator(realm),
    realmObject: realm,
  };
}

function checkLifetime(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`Invalid ${name} "${value}": use a whole number of seconds, at least 1`);
  }
}
