/**
 * The sandbox realm's configuration and the tokens it issues: access tokens and refresh
 * tokens are RS256 JWTs signed with the realm key, with the claims Keycloak puts in them.
 *
 * Expiry uses real wall time (`Date.now()`), never the sandbox's data clock (`state.now()`):
 * the data clock may sit in the past or future to place charges in a billing period, while
 * token lifetimes must run in the time the client's own timers see.
 *
 * @module
 */

import { type SigningKey, signJwt } from "./jwt.ts";

/** A user who may log in with the password grant (structurally `DemoUser` of the state). */
export interface RealmUser {
  /** Login name, also `preferred_username`. */
  username: string;
  /** Password for the password grant. */
  password: string;
  /** Realm roles, placed in `realm_access.roles`. */
  roles: string[];
}

/** The caller a valid access token stands for (structurally `Principal` of the state). */
export interface TokenPrincipal {
  /** `preferred_username` of the token. */
  username: string;
  /** `realm_access.roles` of the token. */
  roles: string[];
}

/** A further confidential client of the realm (e.g. the report server's own client). */
export interface RealmClient {
  /** Client id, the tokens' `azp`. */
  id: string;
  /** Client secret. */
  secret: string;
  /** Extra `aud` values its access tokens carry (Keycloak's audience mappers). */
  audiences?: readonly string[];
}

/** Options of {@link createRealm}. */
export interface RealmOptions {
  /** Realm name, e.g. "squonk". */
  realm: string;
  /** The one confidential client, e.g. "account-server-api". */
  clientId: string;
  /** That client's secret. */
  clientSecret: string;
  /** Further confidential clients (password and refresh grants; no service account). */
  clients?: readonly RealmClient[];
  /** The users, read at each grant so that users added at run time can log in. */
  users: () => readonly RealmUser[];
  /** Roles of the client's service account (`service-account-<clientId>`). */
  serviceAccountRoles: readonly string[];
  /** The realm issuer, `${keycloakUrl}/realms/${realm}` (a function: known once listening). */
  issuer: () => string;
  /** Access token lifetime in seconds. */
  tokenLifetimeS: number;
  /** Refresh token lifetime in seconds. */
  refreshTokenLifetimeS: number;
  /** The signing key pair. */
  key: SigningKey;
}

/** One session's subject, as the token claims describe it. */
export interface RealmSubject {
  /** `preferred_username`. */
  username: string;
  /** Realm roles. */
  roles: string[];
  /** True for the client's service account (client-credentials grant). */
  serviceAccount: boolean;
}

/** The realm: its settings plus token minting. */
export interface Realm {
  /** The options it was created with. */
  readonly options: RealmOptions;
  /** Finds a user by name (exact match), or undefined. */
  findUser(username: string): RealmUser | undefined;
  /** The subject the service account stands for. */
  serviceAccount(): RealmSubject;
  /** The client with id `id` (the AS client or one of `clients`), or undefined. */
  findClient(id: string): RealmClient | undefined;
  /**
   * Mints the token response body for `subject` (Keycloak's JSON: access_token, expires_in,
   * refresh_expires_in, refresh_token, token_type, not-before-policy, session_state, scope,
   * and an `id_token` when the scope asks for `openid`). `session` continues an existing
   * session (refresh grant); otherwise a new one starts. `clientId` is the requesting client
   * (default the AS client).
   */
  mint(
    subject: RealmSubject,
    options: { scope?: string; session?: string; clientId?: string },
  ): Promise<Record<string, unknown>>;
}

/** The username Keycloak gives a client's service account. */
export function serviceAccountName(clientId: string): string {
  return `service-account-${clientId}`;
}

/** Creates the realm. */
export function createRealm(options: RealmOptions): Realm {
  const subjectIds = new Map<string, string>();

  async function subjectId(username: string): Promise<string> {
    const known = subjectIds.get(username);
    if (known) return known;
    const id = await uuidFromName(`${options.realm}/${username}`);
    subjectIds.set(username, id);
    return id;
  }

  function findClient(id: string): RealmClient | undefined {
    if (id === options.clientId) return { id, secret: options.clientSecret };
    return options.clients?.find((c) => c.id === id);
  }

  return {
    options,
    findUser(username) {
      return options.users().find((u) => u.username === username);
    },
    findClient,
    serviceAccount() {
      return {
        username: serviceAccountName(options.clientId),
        roles: [...options.serviceAccountRoles],
        serviceAccount: true,
      };
    },
    async mint(subject, { scope, session, clientId }) {
      const client = clientId ? findClient(clientId) : undefined;
      const azp = client?.id ?? options.clientId;
      const audiences = client?.audiences?.length ? [azp, ...client.audiences] : azp;
      const now = Math.floor(Date.now() / 1000);
      const sessionState = session ?? crypto.randomUUID();
      const grantedScope = grantedScopes(scope);
      const common = {
        iat: now,
        iss: options.issuer(),
        sub: await subjectId(subject.username),
        typ: "Bearer",
        azp,
        session_state: sessionState,
        sid: sessionState,
        scope: grantedScope,
      };
      const access = await signJwt(options.key, {
        exp: now + options.tokenLifetimeS,
        jti: crypto.randomUUID(),
        aud: audiences,
        ...common,
        realm_access: { roles: subject.roles },
        preferred_username: subject.username,
        ...(subject.serviceAccount ? { clientId: options.clientId } : {}),
      });
      // Like Keycloak: an ID token when the scope asks for "openid", for the client itself.
      const idToken = grantedScope.split(" ").includes("openid")
        ? await signJwt(options.key, {
          exp: now + options.tokenLifetimeS,
          jti: crypto.randomUUID(),
          aud: azp,
          ...common,
          typ: "ID",
          realm_access: { roles: subject.roles },
          preferred_username: subject.username,
        })
        : undefined;
      const body: Record<string, unknown> = {
        access_token: access,
        expires_in: options.tokenLifetimeS,
        refresh_expires_in: 0,
        token_type: "Bearer",
        "not-before-policy": 0,
        session_state: sessionState,
        scope: grantedScope,
        ...(idToken ? { id_token: idToken } : {}),
      };
      // Like Keycloak since version 12, the client-credentials grant returns no refresh
      // token: a service account simply asks for a new access token.
      if (!subject.serviceAccount) {
        body.refresh_expires_in = options.refreshTokenLifetimeS;
        body.refresh_token = await signJwt(options.key, {
          exp: now + options.refreshTokenLifetimeS,
          jti: crypto.randomUUID(),
          aud: options.issuer(),
          ...common,
          typ: "Refresh",
          preferred_username: subject.username,
        });
      }
      return body;
    },
  };
}

/** Keycloak's default client scopes, with "openid" first when the caller asked for it. */
function grantedScopes(requested: string | undefined): string {
  const asked = new Set((requested ?? "").split(/\s+/).filter(Boolean));
  return [...(asked.has("openid") ? ["openid"] : []), "profile", "email"].join(" ");
}

/** A stable UUID-shaped subject id derived from `name` (SHA-256, version nibble 4). */
async function uuidFromName(name: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(name)),
  ).slice(0, 16);
  digest[6] = (digest[6] & 0x0f) | 0x40;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
