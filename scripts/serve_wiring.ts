/**
 * How the report server is wired (its AS client, its own AS account and who may log in),
 * shared by `deno task serve` and the scheduled job's entry point (`scripts/cron.ts`), which
 * serves the same server on Deno Deploy. Moved here from `scripts/serve.ts` unchanged.
 *
 * @module
 */

import { AsApi } from "../client/as/mod.ts";
import { asConfigFromEnv } from "../client/as/config.ts";
import { type EnvLookup, processEnv } from "../client/env.ts";
import { ConfigError } from "../client/errors.ts";
import { flagChangeFromEnv } from "../reports/charges/change_env.ts";
import { randomSecret } from "../client/secrets.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { tokenSourceFromEnv } from "../client/keycloak/token_env.ts";
import type { AccessTokenSource } from "../client/keycloak/token_source.ts";
import {
  type AuthOptions,
  createJwksVerifier,
  type OidcAuthOptions,
  parseAuthTokens,
  type ReportServerCacheOptions,
} from "../reports/server/app.ts";

/** What the server is wired to: the AS, its tokens, who may log in, and what to close. */
export interface Wiring {
  api: AsApi;
  tokens: AccessTokenSource;
  sourceUrl: string;
  auth: AuthOptions;
  /** The server's caches, from `REPORTS_LISTING_TTL_S`, `REPORTS_CACHE`, ... */
  cache: ReportServerCacheOptions;
  /** The Change sheet's flag threshold in percent, from `REPORTS_FLAG_CHANGE` (default 25). */
  flagChange: string;
  secret?: string;
  close(): Promise<void>;
}

/** The values `REPORTS_CACHE` accepts. */
const CACHE_MODES = ["store", "memory", "off"] as const;

/**
 * The report server's caches from the environment:
 * - `REPORTS_LISTING_TTL_S`: seconds Account Server listings are reused (default 30; 0
 *   asks every time);
 * - `REPORTS_CACHE`: where rendered closed-period reports are kept: `store` (default: the
 *   report store's `.render-cache` area, plus memory), `memory`, or `off`;
 * - `REPORTS_CACHE_MEMORY_MB`: megabytes of rendered reports kept in memory (default 64);
 * - `DENO_DEPLOYMENT_ID` (set by Deno Deploy): part of every report key, so a new
 *   deployment never answers files rendered by the previous code.
 *
 * @throws {ConfigError} naming the variable and the values it accepts.
 */
export function cacheFromEnv(env: EnvLookup): ReportServerCacheOptions {
  const number = (name: string, max: number): number | undefined => {
    const text = (env(name) ?? "").trim();
    if (text === "") return undefined;
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0 && n <= max)) {
      throw new ConfigError(`${name} "${text}" is not a number from 0 to ${max}: fix or unset it`);
    }
    return n;
  };
  const ttlS = number("REPORTS_LISTING_TTL_S", 86_400);
  const memoryMb = number("REPORTS_CACHE_MEMORY_MB", 65_536);
  const mode = (env("REPORTS_CACHE") ?? "").trim().toLowerCase();
  if (mode !== "" && !(CACHE_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(
      `REPORTS_CACHE "${mode}" is not one of ${CACHE_MODES.join(", ")}: fix or unset it`,
    );
  }
  return {
    ...(ttlS === undefined ? {} : { listingTtlMs: Math.round(ttlS * 1000) }),
    ...(memoryMb === undefined ? {} : { memoryBytes: Math.round(memoryMb * 1024 * 1024) }),
    ...(mode === "" ? {} : { reports: mode as (typeof CACHE_MODES)[number] }),
    variant: (env("DENO_DEPLOYMENT_ID") ?? "").trim(),
  };
}

/** Starts the sandbox in this process and wires the server to it, with a generated secret. */
export async function sandboxWiring(): Promise<Wiring> {
  // Imported only when asked for: the sandbox is never used silently.
  const cache = cacheFromEnv(processEnv()); // before anything starts: a bad value exits 2
  const flagChange = flagChangeFromEnv(processEnv());
  const { startSandbox } = await import("../sandbox/mod.ts");
  const sandbox = await startSandbox({ port: 0, quiet: true });
  const secret = randomSecret();
  const issuer = `${sandbox.keycloakUrl}/realms/${sandbox.realm}`;
  return {
    api: new AsApi({ url: sandbox.asUrl, warn: () => {} }),
    tokens: new KeycloakTokenSource({
      keycloakUrl: sandbox.keycloakUrl,
      realm: sandbox.realm,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    }),
    sourceUrl: sandbox.asUrl,
    cache,
    flagChange,
    secret,
    auth: {
      tokens: [secret, ...parseAuthTokens(Deno.env.get("REPORTS_AUTH_TOKENS"))],
      // The sandbox's own Keycloak tokens are accepted too, so OIDC can be tried locally.
      oidc: {
        verifier: createJwksVerifier(issuer, {
          audience: Deno.env.get("REPORTS_OIDC_AUDIENCE") || sandbox.clientId,
        }),
        role: Deno.env.get("REPORTS_OIDC_ROLE") || "account-server-admin",
      },
    },
    close: () => sandbox.close(),
  };
}

/**
 * Wires the server from the environment (DESIGN.md Configuration plus `REPORTS_AUTH_TOKENS`,
 * `REPORTS_OIDC_ISSUER`, `REPORTS_OIDC_AUDIENCE`, `REPORTS_OIDC_ROLE`).
 *
 * @throws {ConfigError} without credentials for the server, without `SQUONK2_ASAPI_URL`, or
 * with `REPORTS_OIDC_ISSUER` but no `REPORTS_OIDC_AUDIENCE` or no `REPORTS_OIDC_ROLE` (`*`
 * lets in every user of the realm whose token is meant for the audience, on purpose).
 */
export function envWiring(): Wiring {
  const env = processEnv();
  const flagChange = flagChangeFromEnv(env); // first: a bad value exits 2 naming it
  const tokens = parseAuthTokens(env("REPORTS_AUTH_TOKENS"));
  const issuer = (env("REPORTS_OIDC_ISSUER") ?? "").trim();
  if (tokens.length === 0 && !issuer) {
    throw new ConfigError(
      "Refusing to serve reports without credentials: set REPORTS_AUTH_TOKENS (comma-separated secrets) or REPORTS_OIDC_ISSUER, or use --sandbox",
    );
  }
  if (issuer && !/^https?:\/\/[^/]+\/.*realms\/[^/]+\/?$/.test(issuer)) {
    throw new ConfigError(
      `REPORTS_OIDC_ISSUER "${issuer}" is not a Keycloak realm URL: use https://HOST/auth/realms/REALM`,
    );
  }
  const url = asConfigFromEnv(env).url;
  if (!url) {
    throw new ConfigError("SQUONK2_ASAPI_URL is not set: set it to the Account Server's base URL");
  }
  const oidc = issuer ? oidcFromEnv(env, issuer) : undefined;
  return {
    api: new AsApi({ env }),
    tokens: tokenSourceFromEnv(env),
    sourceUrl: url,
    auth: {
      tokens,
      oidc,
    },
    cache: cacheFromEnv(env),
    flagChange,
    close: () => Promise.resolve(),
  };
}

/** Keycloak sign-in from `REPORTS_OIDC_AUDIENCE` and `REPORTS_OIDC_ROLE`, both required. */
function oidcFromEnv(env: EnvLookup, issuer: string): OidcAuthOptions {
  const audience = (env("REPORTS_OIDC_AUDIENCE") ?? "").trim();
  if (!audience) {
    throw new ConfigError(
      "REPORTS_OIDC_AUDIENCE is not set: with REPORTS_OIDC_ISSUER, set it to the Keycloak client id the report server's tokens are issued for (matched against aud or azp)",
    );
  }
  const role = (env("REPORTS_OIDC_ROLE") ?? "").trim();
  if (!role) {
    throw new ConfigError(
      "REPORTS_OIDC_ROLE is not set: with REPORTS_OIDC_ISSUER, set it to the realm role finance users carry, or to * to let in every user of the realm on purpose",
    );
  }
  return { verifier: createJwksVerifier(issuer, { audience }), role };
}
