/**
 * The report server's credentials check: bearer tokens from `REPORTS_AUTH_TOKENS` for
 * scripts, HTTP Basic for browsers (any username, the password is one of the same secrets),
 * both compared in constant time, and optionally Keycloak access tokens verified against the
 * realm's JWKS with a required realm role.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "../../client/secrets.ts";
import { hasRealmRole, type JwksVerifier } from "./oidc.ts";

/** The realm browsers show in their login prompt. */
export const AUTH_REALM = "squonk2 reports";

/** Options of {@link createAuth}. */
export interface AuthOptions {
  /** Shared secrets accepted as bearer tokens and as Basic passwords. */
  tokens?: readonly string[];
  /** Keycloak access-token verification, when configured. */
  oidc?: { verifier: JwksVerifier; role?: string };
}

/** Who was let in, stored on the context as `principal`. */
export interface Principal {
  /** How the caller proved who they are. */
  kind: "bearer" | "basic" | "oidc";
  /** The Basic username or the token's `preferred_username`; empty for shared tokens. */
  name: string;
}

/**
 * Returns a function telling whether `candidate` is one of `secrets`. Every secret is
 * compared (no early exit) with `timingSafeEqual` (client/secrets.ts), which compares
 * SHA-256 digests of equal length.
 */
export function createSecretMatcher(secrets: readonly string[]): (candidate: string) => boolean {
  const kept = secrets.filter((s) => s.length > 0);
  return (candidate) => {
    let found = false;
    for (const s of kept) found = timingSafeEqual(s, candidate) || found;
    return found;
  };
}

/** Splits `REPORTS_AUTH_TOKENS` (comma-separated, blanks ignored). */
export function parseAuthTokens(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

function decodeBasic(value: string): { user: string; password: string } | null {
  try {
    const text = new TextDecoder().decode(Uint8Array.fromBase64(value));
    const i = text.indexOf(":");
    return i < 0 ? null : { user: text.slice(0, i), password: text.slice(i + 1) };
  } catch {
    return null;
  }
}

/**
 * Checks an `Authorization` header value; resolves to the principal, or `null` when the
 * credentials are missing or wrong.
 */
export function createAuthCheck(
  options: AuthOptions,
): (authorization: string | undefined) => Promise<Principal | null> {
  const matches = createSecretMatcher(options.tokens ?? []);
  const oidc = options.oidc;
  return async (authorization) => {
    if (!authorization) return null;
    const m = /^(\S+)\s+(\S+)\s*$/.exec(authorization);
    if (!m) return null;
    const scheme = m[1].toLowerCase();
    if (scheme === "basic") {
      const creds = decodeBasic(m[2]);
      return creds && matches(creds.password) ? { kind: "basic", name: creds.user } : null;
    }
    if (scheme !== "bearer") return null;
    if (matches(m[2])) return { kind: "bearer", name: "" };
    if (!oidc || m[2].split(".").length !== 3) return null;
    try {
      const claims = await oidc.verifier.verify(m[2]);
      if (oidc.role && !hasRealmRole(claims, oidc.role)) return null;
      return { kind: "oidc", name: String(claims.preferred_username ?? claims.sub ?? "") };
    } catch {
      return null;
    }
  };
}

/**
 * Hono middleware requiring credentials; answers 401 with
 * `WWW-Authenticate: Basic realm="squonk2 reports"` so that browsers prompt.
 */
export function createAuth(options: AuthOptions): MiddlewareHandler {
  const check = createAuthCheck(options);
  return async (c, next) => {
    const principal = await check(c.req.header("authorization"));
    if (!principal) {
      c.header("WWW-Authenticate", `Basic realm="${AUTH_REALM}"`);
      c.header("Cache-Control", "no-store");
      const wantsJson = (c.req.header("accept") ?? "").includes("application/json") &&
        !(c.req.header("accept") ?? "").includes("text/html");
      return wantsJson
        ? c.json({ error: "Credentials required: send a bearer token or log in" }, 401)
        : c.text("Credentials required: log in with a report access secret", 401);
    }
    c.set("principal" as never, principal as never);
    await next();
  };
}
