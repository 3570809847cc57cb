/**
 * The report server's credentials check, built on Hono's `bearerAuth` and `basicAuth`
 * middlewares with one secret list: bearer tokens from `REPORTS_AUTH_TOKENS` for scripts,
 * HTTP Basic for browsers (any username, the password is one of the same secrets), both
 * compared in constant time (SHA-256 digests, `timingSafeEqual`), and optionally Keycloak
 * access tokens verified with `jose` (oidc.ts) and a required realm role.
 *
 * Every refusal is the same 401 with `WWW-Authenticate: Basic realm="squonk2 reports"`, so
 * that browsers prompt and a caller learns nothing about why (a token without the role is
 * refused like any other).
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import { createHash, timingSafeEqual as equalDigests } from "node:crypto";
import { hasRealmRole, type JwksVerifier } from "./oidc.ts";

/** The realm browsers show in their login prompt. */
export const AUTH_REALM = "squonk2 reports";

/** Keycloak sign-in: the verifier and the realm role a token must carry. */
export interface OidcAuthOptions {
  /** Checks signature, issuer, audience, type, algorithm and expiry. */
  verifier: JwksVerifier;
  /** The realm role required, or `"*"` to let in every user the verifier accepts. */
  role: string;
}

/** Options of {@link createAuth}. */
export interface AuthOptions {
  /** Shared secrets accepted as bearer tokens and as Basic passwords. */
  tokens?: readonly string[];
  /** Keycloak access-token verification, when configured. */
  oidc?: OidcAuthOptions;
}

/** Who was let in, stored on the context as `principal`. */
export interface Principal {
  /** How the caller proved who they are. */
  kind: "bearer" | "basic" | "oidc";
  /** The Basic username or the token's `preferred_username`; empty for shared tokens. */
  name: string;
}

/**
 * Returns a function telling whether `candidate` is one of `secrets`, in time that depends
 * on neither the candidate nor where it differs: the candidate's SHA-256 digest is compared
 * with every secret's (no early exit) by `node:crypto`'s `timingSafeEqual`, like
 * `timingSafeEqual` of client/secrets.ts. The secrets' digests are computed once, here, so
 * a request hashes only what it sent.
 */
export function createSecretMatcher(secrets: readonly string[]): (candidate: string) => boolean {
  const kept = secrets.filter((s) => s.length > 0).map(sha256);
  return (candidate) => {
    if (kept.length === 0) return false;
    const digest = sha256(candidate);
    let found = false;
    for (const d of kept) found = equalDigests(d, digest) || found;
    return found;
  };
}

function sha256(text: string): Uint8Array {
  return createHash("sha256").update(text, "utf8").digest();
}

/** Splits `REPORTS_AUTH_TOKENS` (comma-separated, blanks ignored). */
export function parseAuthTokens(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Checks a bearer token (a shared secret, or a Keycloak access token when OIDC is on);
 * resolves to the principal, or `null` when it is not accepted.
 */
export function createBearerCheck(
  options: AuthOptions,
): (token: string) => Promise<Principal | null> {
  const matches = createSecretMatcher(options.tokens ?? []);
  const oidc = options.oidc;
  return async (token) => {
    if (matches(token)) return { kind: "bearer", name: "" };
    if (!oidc || token.split(".").length !== 3) return null;
    try {
      const claims = await oidc.verifier.verify(token);
      if (oidc.role !== "*" && !hasRealmRole(claims, oidc.role)) return null;
      return { kind: "oidc", name: String(claims.preferred_username ?? claims.sub ?? "") };
    } catch {
      return null;
    }
  };
}

function denied(c: Context): Response {
  c.header("WWW-Authenticate", `Basic realm="${AUTH_REALM}"`);
  c.header("Cache-Control", "no-store");
  const accept = c.req.header("accept") ?? "";
  const wantsJson = accept.includes("application/json") && !accept.includes("text/html");
  return wantsJson
    ? c.json({ error: "Credentials required: send a bearer token or log in" }, 401)
    : c.text("Credentials required: log in with a report access secret", 401);
}

/**
 * Returns a function telling who the caller of a request is: `Authorization: Basic` goes to
 * Hono's `basicAuth`, anything else to Hono's `bearerAuth`, both with callbacks over one
 * secret list. Resolves to `null` when the credentials are missing or not accepted (nothing
 * is set on the response).
 */
export function createAuthCheck(options: AuthOptions): (c: Context) => Promise<Principal | null> {
  const matches = createSecretMatcher(options.tokens ?? []);
  const checkBearer = createBearerCheck(options);
  const basic: MiddlewareHandler = basicAuth({
    realm: AUTH_REALM,
    verifyUser: (username, password, c) => {
      if (!matches(password)) return false;
      c.set("principal" as never, { kind: "basic", name: username } as never);
      return true;
    },
  });
  const bearer: MiddlewareHandler = bearerAuth({
    realm: AUTH_REALM,
    verifyToken: async (token, c) => {
      const principal = await checkBearer(token);
      if (principal) c.set("principal" as never, principal as never);
      return principal !== null;
    },
  });
  return async (c) => {
    const header = c.req.header("authorization") ?? "";
    const middleware = /^\s*basic\s/i.test(header) ? basic : bearer;
    let passed = false;
    try {
      // Hono's middlewares refuse by throwing an HTTPException; `next` runs only on success.
      await middleware(c, () => {
        passed = true;
        return Promise.resolve();
      });
    } catch {
      return null;
    }
    return passed ? (c.get("principal" as never) as Principal) : null;
  };
}

/**
 * Hono middleware requiring credentials ({@link createAuthCheck}), storing the
 * {@link Principal} on the context as `principal`. A refusal is a 401 with
 * `WWW-Authenticate: Basic realm="squonk2 reports"` so that browsers prompt.
 */
export function createAuth(options: AuthOptions): MiddlewareHandler {
  const check = createAuthCheck(options);
  return async (c, next) => {
    const principal = await check(c);
    if (!principal) return denied(c);
    await next();
  };
}
