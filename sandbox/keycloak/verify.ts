/**
 * Checking the realm's own tokens: the AS simulator's `authenticate` hook (bearer access
 * token -> principal) and the refresh grant's refresh-token check.
 *
 * @module
 */

import { verifyJwt } from "./jwt.ts";
import type { Realm, TokenPrincipal } from "./realm.ts";

/** Outcome of a token check: the claims, or why the token was refused. */
export type TokenCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: "invalid" | "expired" };

/** Options of {@link checkToken}. */
export interface CheckTokenOptions {
  /** "Bearer" for access tokens, "Refresh" for refresh tokens. @default "Bearer" */
  typ?: "Bearer" | "Refresh";
}

/**
 * Checks signature, issuer, type and expiry of a token minted by `realm`. Expiry is judged
 * against real wall time (`Date.now()`), not the sandbox data clock.
 */
export async function checkToken(
  realm: Realm,
  token: string,
  { typ = "Bearer" }: CheckTokenOptions = {},
): Promise<TokenCheck> {
  const verified = await verifyJwt(token, realm.options.key.publicKey);
  if (!verified || verified.header.kid !== realm.options.key.kid) {
    return { ok: false, reason: "invalid" };
  }
  const claims = verified.payload;
  if (claims.iss !== realm.options.issuer() || claims.typ !== typ) {
    return { ok: false, reason: "invalid" };
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) {
    return { ok: false, reason: "expired" };
  }
  return { ok: true, claims };
}

/**
 * Returns the AS simulator's `authenticate(request)`: the principal of a valid
 * `Authorization: Bearer <access token>` minted by `realm` for its AS client, or null
 * (missing header, bad signature, other issuer, other client, expired).
 */
export function createAuthenticator(
  realm: Realm,
): (request: Request) => Promise<TokenPrincipal | null> {
  // Tokens whose signature, issuer and type were verified, with their claims: a client
  // sends one token with every request of an export, and one RS256 check per request made
  // this single thread (standing in for a multi-worker AS) the bottleneck at 16 requests in
  // flight (scripts/bench/README.md). Expiry is still judged on every request.
  const verified = new Map<string, Record<string, unknown>>();
  return async (request) => {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return null;
    let claims = verified.get(match[1]);
    if (claims === undefined) {
      const check = await checkToken(realm, match[1]);
      if (!check.ok) return null;
      claims = check.claims;
      if (verified.size >= 256) verified.clear();
      verified.set(match[1], claims);
    } else if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) {
      verified.delete(match[1]);
      return null;
    }
    // A token must have been obtained with the AS client id (reference §6, "Token audience").
    if (claims.azp !== realm.options.clientId) return null;
    const username = claims.preferred_username;
    const access = claims.realm_access as { roles?: unknown } | undefined;
    if (typeof username !== "string" || !Array.isArray(access?.roles)) return null;
    return { username, roles: access.roles.filter((r): r is string => typeof r === "string") };
  };
}
