/**
 * Verification of Keycloak access tokens against the realm's JWKS
 * (`${issuer}/protocol/openid-connect/certs`): RS256 only, `iss` and `exp` checked, keys
 * cached and refetched when a token names an unknown key id.
 *
 * @module
 */

import { AuthError } from "../../client/errors.ts";

/** The claims this server reads from a verified access token. */
export interface AccessClaims {
  /** Issuer: the realm URL. */
  iss: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
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
  /** The `fetch` used for the JWKS. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** How long fetched keys are trusted before a refetch. @default 600_000 (10 min) */
  ttlMs?: number;
  /** Least time between two refetches caused by unknown key ids. @default 10_000 */
  minRefetchMs?: number;
  /** Allowed clock skew for `exp`/`nbf`, seconds. @default 30 */
  leewaySeconds?: number;
  /** The clock. @default () => Date.now() */
  now?: () => number;
}

/** Verifies access tokens; `verify` rejects with an {@link AuthError} (a short reason). */
export interface JwksVerifier {
  /** The issuer tokens must name. */
  readonly issuer: string;
  /** Resolves to the token's claims when its signature, issuer and expiry are valid. */
  verify(token: string): Promise<AccessClaims>;
}

interface Jwk extends JsonWebKey {
  kid?: string;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function decodePart(part: string): Uint8Array<ArrayBuffer> {
  if (!B64URL.test(part)) throw new AuthError("Token is not a JWT");
  return Uint8Array.fromBase64(part, { alphabet: "base64url" });
}

function decodeJson(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(new TextDecoder().decode(decodePart(part)));
    if (value && typeof value === "object") return value as Record<string, unknown>;
  } catch { /* fall through */ }
  throw new AuthError("Token is not a JWT");
}

/**
 * Creates a verifier for tokens issued by `issuer` (e.g.
 * `https://keycloak.example.com/realms/squonk`).
 *
 * @example
 * ```ts
 * import { createJwksVerifier, hasRealmRole } from "@squonk2/billing/server";
 *
 * const verifier = createJwksVerifier("https://kc.example.com/realms/squonk");
 * const token = Deno.env.get("ACCESS_TOKEN") ?? "";
 * const claims = await verifier.verify(token); // rejects with an AuthError when not valid
 * console.log(claims.preferred_username, hasRealmRole(claims, "finance"));
 * // For the report server: auth: { oidc: { verifier, role: "finance" } }
 * ```
 */
export function createJwksVerifier(
  issuer: string,
  options: JwksVerifierOptions = {},
): JwksVerifier {
  const doFetch = options.fetch ?? globalThis.fetch;
  const ttl = options.ttlMs ?? 600_000;
  const minRefetch = options.minRefetchMs ?? 10_000;
  const leeway = options.leewaySeconds ?? 30;
  const now = options.now ?? (() => Date.now());
  const trimmed = issuer.replace(/\/+$/, "");
  const jwksUrl = `${trimmed}/protocol/openid-connect/certs`;
  let keys = new Map<string, CryptoKey>();
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let inflight: Promise<void> | null = null;

  async function load(): Promise<void> {
    const res = await doFetch(jwksUrl, { headers: { accept: "application/json" } });
    if (!res.ok) {
      await res.body?.cancel();
      throw new AuthError(`Cannot fetch the signing keys (HTTP ${res.status})`);
    }
    const body: unknown = await res.json().catch(() => null);
    const listed = body && typeof body === "object" ? (body as { keys?: unknown }).keys : undefined;
    if (!Array.isArray(listed)) {
      throw new AuthError(`Cannot read the signing keys: the JWKS answer has no "keys" list`);
    }
    const next = new Map<string, CryptoKey>();
    for (const jwk of listed as Jwk[]) {
      if (!jwk || typeof jwk !== "object") continue;
      if (jwk.kty !== "RSA" || !jwk.kid || (jwk.use && jwk.use !== "sig")) continue;
      if (jwk.alg && jwk.alg !== "RS256") continue;
      try {
        const key = await crypto.subtle.importKey(
          "jwk",
          { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
          { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
          false,
          ["verify"],
        );
        next.set(jwk.kid, key);
      } catch { /* skip keys that do not import */ }
    }
    keys = next;
    fetchedAt = now();
  }

  // At most one fetch at a time, and (whether it worked or not) at most one per
  // `minRefetch`: tokens with made-up key ids, or an unreachable Keycloak, never turn
  // into a stream of JWKS requests. A failed refresh keeps the keys already known.
  async function refresh(): Promise<void> {
    if (inflight) return await inflight;
    if (now() - attemptedAt < minRefetch) return;
    attemptedAt = now();
    inflight = load().finally(() => {
      inflight = null;
    });
    await inflight.catch(() => {});
  }

  async function keyFor(kid: string): Promise<CryptoKey> {
    if (now() - fetchedAt > ttl) await refresh();
    let key = keys.get(kid);
    if (!key) {
      await refresh();
      key = keys.get(kid);
    }
    if (!key) throw new AuthError("Token signed by an unknown key");
    return key;
  }

  async function verify(token: string): Promise<AccessClaims> {
    const parts = token.split(".");
    if (parts.length !== 3) throw new AuthError("Token is not a JWT");
    const header = decodeJson(parts[0]);
    if (header.alg !== "RS256") throw new AuthError("Token algorithm is not RS256");
    if (typeof header.kid !== "string") throw new AuthError("Token has no key id");
    const claims = decodeJson(parts[1]) as Partial<AccessClaims>;
    const key = await keyFor(header.kid);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, decodePart(parts[2]), signed);
    if (!ok) throw new AuthError("Token signature is invalid");
    if (claims.iss !== trimmed) throw new AuthError("Token issuer is not trusted");
    const seconds = now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp + leeway <= seconds) {
      throw new AuthError("Token has expired");
    }
    if (typeof claims.nbf === "number" && claims.nbf - leeway > seconds) {
      throw new AuthError("Token is not valid yet");
    }
    return claims as AccessClaims;
  }

  return { issuer: trimmed, verify };
}

/** True when `claims` carry the realm role `role`. */
export function hasRealmRole(claims: AccessClaims, role: string): boolean {
  const roles = claims.realm_access?.roles;
  return Array.isArray(roles) && roles.includes(role);
}
