/**
 * The token endpoint's logic, apart from HTTP: the `password`, `client_credentials` and
 * `refresh_token` grants with Keycloak's status codes and error bodies.
 *
 * @module
 */

import type { Realm } from "./realm.ts";
import { timingSafeEqual } from "../../client/secrets.ts";
import { checkToken } from "./verify.ts";

/** A token endpoint answer: status and JSON body. */
export interface GrantResult {
  /** HTTP status (200, 400 or 401). */
  status: 200 | 400 | 401;
  /** Keycloak's JSON body: the tokens, or `{error, error_description}`. */
  body: Record<string, unknown>;
}

/** Client credentials sent with HTTP Basic authentication, if any. */
export interface BasicClient {
  /** Client id. */
  id: string;
  /** Client secret. */
  secret: string;
}

function fail(status: 400 | 401, error: string, description: string): GrantResult {
  return { status, body: { error, error_description: description } };
}

const INVALID_CLIENT = () =>
  fail(401, "invalid_client", "Invalid client or Invalid client credentials");

/** Parses `Authorization: Basic base64(id:secret)` (form-url-encoded parts, RFC 6749 §2.3.1). */
export function parseBasicClient(header: string | null): BasicClient | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  try {
    const text = atob(match[1]);
    const colon = text.indexOf(":");
    if (colon < 0) return undefined;
    return {
      id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    return undefined;
  }
}

/**
 * Runs one token request. `form` is the form-encoded body; `basic` the client credentials
 * from an `Authorization: Basic` header (they take precedence over `client_id` and
 * `client_secret` in the form, as in Keycloak).
 */
export async function runGrant(
  realm: Realm,
  form: URLSearchParams,
  basic?: BasicClient,
): Promise<GrantResult> {
  const grantType = form.get("grant_type");
  if (!grantType) return fail(400, "invalid_request", "Missing form parameter: grant_type");
  const clientId = basic?.id ?? form.get("client_id");
  const clientSecret = basic?.secret ?? form.get("client_secret");
  if (!clientId) return fail(400, "invalid_request", "Missing parameter: client_id");
  const { options } = realm;
  const client = realm.findClient(clientId);
  if (!client) return INVALID_CLIENT();
  // The AS client is confidential. A wrong secret is always refused; an absent secret is
  // accepted for the password and refresh grants because the Squonk2 Python client sends
  // `client_secret` only when one is configured (reference §6), so deployments where it
  // is omitted must keep working. Client credentials, by nature, need the secret.
  if (clientSecret !== null && !timingSafeEqual(clientSecret, client.secret)) {
    return INVALID_CLIENT();
  }
  const scope = form.get("scope") ?? undefined;
  switch (grantType) {
    case "password":
      return await passwordGrant(realm, form, scope, client.id);
    case "client_credentials":
      // Only the AS client has a service account.
      if (clientSecret === null || client.id !== options.clientId) return INVALID_CLIENT();
      return { status: 200, body: await realm.mint(realm.serviceAccount(), { scope }) };
    case "refresh_token":
      return await refreshGrant(realm, form, client.id);
    default:
      return fail(400, "unsupported_grant_type", "Unsupported grant_type");
  }
}

async function passwordGrant(
  realm: Realm,
  form: URLSearchParams,
  scope: string | undefined,
  clientId: string,
): Promise<GrantResult> {
  const username = form.get("username");
  const password = form.get("password");
  if (!username) return fail(400, "invalid_request", "Missing parameter: username");
  if (password === null) return fail(400, "invalid_request", "Missing parameter: password");
  const user = realm.findUser(username);
  if (!user || !timingSafeEqual(password, user.password)) {
    return fail(401, "invalid_grant", "Invalid user credentials");
  }
  const subject = { username: user.username, roles: [...user.roles], serviceAccount: false };
  return { status: 200, body: await realm.mint(subject, { scope, clientId }) };
}

async function refreshGrant(
  realm: Realm,
  form: URLSearchParams,
  clientId: string,
): Promise<GrantResult> {
  const token = form.get("refresh_token");
  if (!token) return fail(400, "invalid_request", "Missing parameter: refresh_token");
  const check = await checkToken(realm, token, { typ: "Refresh" });
  if (!check.ok) {
    return check.reason === "expired"
      ? fail(400, "invalid_grant", "Token is not active")
      : fail(400, "invalid_grant", "Invalid refresh token");
  }
  const { claims } = check;
  if (claims.azp !== clientId) {
    return fail(400, "invalid_grant", "Invalid refresh token");
  }
  // Roles are read again from the user, so a role change shows at the next refresh.
  const user = realm.findUser(String(claims.preferred_username));
  if (!user) return fail(400, "invalid_grant", "Invalid refresh token");
  const subject = { username: user.username, roles: [...user.roles], serviceAccount: false };
  const scope = typeof claims.scope === "string" ? claims.scope : undefined;
  const session = typeof claims.session_state === "string" ? claims.session_state : undefined;
  return { status: 200, body: await realm.mint(subject, { scope, session, clientId }) };
}
