/**
 * Verification of Keycloak access tokens with `jose`: the signature against the realm's JWKS
 * (`${issuer}/protocol/openid-connect/certs`, fetched with `createRemoteJWKSet`), then
 * `jwtVerify` with the issuer, RS256/ES256 only and a small clock leeway, then the claims
 * Keycloak puts in an access token: `typ` must be `Bearer` (not `ID` or `Refresh`) and the
 * configured audience must be in `aud` or equal `azp`.
 *
 * @module
 */

import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";
import { AuthError } from "../../client/errors.ts";

/** The claims this server reads from a verified access token. */
export interface AccessClaims {
  /** Issuer: the realm URL. */
  iss: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Keycloak's token type claim: `Bearer` for access tokens. */
  typ?: string;
  /** Audience: a client id or a list of them. */
  aud?: string | string[];
  /** Authorized party: the client the token was issued to. */
  azp?: string;
  /** Subject (user id). */
  sub?: string;
  /** Keycloak's username claim. */
  preferred_username?: string;
  /** Keycloak's realm roles. */
  realm_access?: { roles?: string[] };
  /** Any other claim. */
  [claim: string]: unknown;
}

/** Options of {@link createJwksVerifier}. */
export interface JwksVerifierOptions {
  /**
   * The client id tokens must be meant for: accepted when `aud` contains it or `azp` equals
   * it (Keycloak puts the requesting client in `azp`, and audience mappers add to `aud`).
   */
  audience: string;
  /** The `fetch` used for the JWKS. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** How long fetched keys are trusted before a refetch. @default 600_000 (10 min) */
  ttlMs?: number;
  /** Least time between two JWKS fetches, whether caused by unknown key ids or failures. @default 10_000 */
  minRefetchMs?: number;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, seconds. @default 30 */
  leewaySeconds?: number;
  /** The clock tokens are judged by (not the JWKS cache). @default () => Date.now() */
  now?: () => number;
}

/** Verifies access tokens; `verify` rejects with an {@link AuthError} (a short reason). */
export interface JwksVerifier {
  /** The issuer tokens must name. */
  readonly issuer: string;
  /** The client id tokens must be meant for (`aud` or `azp`). */
  readonly audience: string;
  /** Resolves to the token's claims when every check passes. */
  verify(token: string): Promise<AccessClaims>;
}

/** The signature algorithms accepted: Keycloak's default RS256, and ES256. */
export const ACCEPTED_ALGORITHMS: readonly string[] = ["RS256", "ES256"];

/**
 * Wraps `doFetch` so that the JWKS is fetched at most once per `minRefetchMs` after a failure
 * (an unreachable Keycloak never turns into a stream of requests), and a failed fetch answers
 * with the last good key set, so that known keys keep working while Keycloak is down.
 */
function resilientFetch(doFetch: typeof fetch, minRefetchMs: number): typeof fetch {
  let good: unknown = undefined;
  let failedAt = -Infinity;
  const fallback = (error: unknown): Response => {
    failedAt = Date.now();
    if (good !== undefined) return Response.json(good);
    throw error instanceof Error ? error : new AuthError(String(error));
  };
  return async (input, init) => {
    if (Date.now() - failedAt < minRefetchMs) {
      return fallback(new AuthError("Signing keys unavailable (refetch paused)"));
    }
    try {
      const res = await doFetch(input, init);
      if (res.status !== 200) {
        await res.body?.cancel();
        return fallback(new AuthError(`Cannot fetch the signing keys (HTTP ${res.status})`));
      }
      good = await res.json();
      return Response.json(good);
    } catch (error) {
      return fallback(error);
    }
  };
}

/**
 * Creates a verifier for access tokens issued by `issuer` (e.g.
 * `https://keycloak.example.com/realms/squonk`) for the client `options.audience`.
 *
 * @example
 * ```ts
 * import { createJwksVerifier, hasRealmRole } from "@squonk2/billing/server";
 *
 * const verifier = createJwksVerifier("https://kc.example.com/realms/squonk", {
 *   audience: "squonk2-reports",
 * });
 * const token = Deno.env.get("ACCESS_TOKEN") ?? "";
 * const claims = await verifier.verify(token); // rejects with an AuthError when not valid
 * console.log(claims.preferred_username, hasRealmRole(claims, "finance"));
 * // For the report server: auth: { oidc: { verifier, role: "finance" } }
 * ```
 */
export function createJwksVerifier(issuer: string, options: JwksVerifierOptions): JwksVerifier {
  const audience = options.audience?.trim() ?? "";
  if (!audience) throw new AuthError("An OIDC audience (client id) is required");
  const trimmed = issuer.replace(/\/+$/, "");
  const minRefetch = options.minRefetchMs ?? 10_000;
  const leeway = options.leewaySeconds ?? 30;
  const now = options.now ?? (() => Date.now());
  const jwks = createRemoteJWKSet(new URL(`${trimmed}/protocol/openid-connect/certs`), {
    cacheMaxAge: options.ttlMs ?? 600_000,
    cooldownDuration: minRefetch,
    [customFetch]: resilientFetch(options.fetch ?? globalThis.fetch, minRefetch),
  });

  async function verify(token: string): Promise<AccessClaims> {
    let payload: AccessClaims;
    try {
      const result = await jwtVerify(token, jwks, {
        issuer: trimmed,
        algorithms: [...ACCEPTED_ALGORITHMS],
        clockTolerance: leeway,
        currentDate: new Date(now()),
        requiredClaims: ["exp"],
      });
      payload = result.payload as AccessClaims;
    } catch (error) {
      throw new AuthError(`Token refused: ${reason(error)}`, { cause: error });
    }
    if (payload.typ !== "Bearer") throw new AuthError("Token refused: not an access token");
    const aud = payload.aud;
    const audiences = Array.isArray(aud) ? aud : typeof aud === "string" ? [aud] : [];
    if (!audiences.includes(audience) && payload.azp !== audience) {
      throw new AuthError("Token refused: issued for another client");
    }
    return payload;
  }

  return { issuer: trimmed, audience, verify };
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "expired";
    case "ERR_JWKS_NO_MATCHING_KEY":
      return "signed by an unknown key";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "signature is invalid";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "algorithm not allowed";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return `claim "${(error as { claim?: string }).claim}" is not valid`;
    default:
      return error instanceof AuthError ? error.message : "not a valid JWT";
  }
}

/** True when `claims` carry the realm role `role`. */
export function hasRealmRole(claims: AccessClaims, role: string): boolean {
  const roles = claims.realm_access?.roles;
  return Array.isArray(roles) && roles.includes(role);
}
