/**
 * How the report server is wired (its AS client, its own AS account and who may log in),
 * shared by `deno task serve` and the scheduled job's entry point (`scripts/cron.ts`), which
 * serves the same server on Deno Deploy. Moved here from `scripts/serve.ts` unchanged.
 *
 * @module
 */

import { AsApi } from "../client/as/mod.ts";
import { asConfigFromEnv } from "../client/as/config.ts";
import { processEnv } from "../client/env.ts";
import { ConfigError } from "../client/errors.ts";
import { randomSecret } from "../client/secrets.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { tokenSourceFromEnv } from "../client/keycloak/token_env.ts";
import type { AccessTokenSource } from "../client/keycloak/token_source.ts";
import { type AuthOptions, createJwksVerifier, parseAuthTokens } from "../reports/server/app.ts";

/** What the server is wired to: the AS, its tokens, who may log in, and what to close. */
export interface Wiring {
  api: AsApi;
  tokens: AccessTokenSource;
  sourceUrl: string;
  auth: AuthOptions;
  secret?: string;
  close(): Promise<void>;
}

/** Starts the sandbox in this process and wires the server to it, with a generated secret. */
export async function sandboxWiring(): Promise<Wiring> {
  // Imported only when asked for: the sandbox is never used silently.
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
    secret,
    auth: {
      tokens: [secret, ...parseAuthTokens(Deno.env.get("REPORTS_AUTH_TOKENS"))],
      // The sandbox's own Keycloak tokens are accepted too, so OIDC can be tried locally.
      oidc: {
        verifier: createJwksVerifier(issuer),
        role: Deno.env.get("REPORTS_OIDC_ROLE") || "account-server-admin",
      },
    },
    close: () => sandbox.close(),
  };
}

/**
 * Wires the server from the environment (DESIGN.md Configuration plus `REPORTS_AUTH_TOKENS`,
 * `REPORTS_OIDC_ISSUER`, `REPORTS_OIDC_ROLE`).
 *
 * @throws {ConfigError} without credentials for the server or without `SQUONK2_ASAPI_URL`.
 */
export function envWiring(): Wiring {
  const env = processEnv();
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
  const role = (env("REPORTS_OIDC_ROLE") ?? "").trim();
  return {
    api: new AsApi({ env }),
    tokens: tokenSourceFromEnv(env),
    sourceUrl: url,
    auth: {
      tokens,
      oidc: issuer ? { verifier: createJwksVerifier(issuer), role: role || undefined } : undefined,
    },
    close: () => Promise.resolve(),
  };
}
