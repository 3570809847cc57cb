/**
 * Connecting a script to an Account Server: from the environment (DESIGN.md
 * Configuration), or, only when asked with `--sandbox`, to a sandbox started in this
 * process. There is no silent fallback to the sandbox.
 *
 * @module
 */

import { AsApi } from "../client/as/mod.ts";
import { asConfigFromEnv } from "../client/as/config.ts";
import { type EnvLookup, processEnv } from "../client/env.ts";
import { ConfigError } from "../client/errors.ts";
import { redactUrl } from "../client/redact.ts";
import { KeycloakTokenSource, tokenSourceFromEnv } from "../client/keycloak/mod.ts";
import type { AccessTokenSource } from "../client/keycloak/token_source.ts";
import type { RunningSandbox, StartSandboxOptions } from "../sandbox/mod.ts";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Start the sandbox and use it instead of the configured AS. */
  sandbox: boolean;
  /** Environment lookup. @default the process environment */
  env?: (name: string) => string | undefined;
  /** Options of the sandbox (with `sandbox: true`). @default quiet, port 0 */
  sandboxOptions?: StartSandboxOptions;
}

/** A connection: the AS client, its tokens, and the sandbox when one was started. */
export interface Connection {
  api: AsApi;
  tokens: AccessTokenSource;
  /** The AS base URL, stated in reports. */
  sourceUrl: string;
  /** The sandbox started for `--sandbox`. */
  sandbox?: RunningSandbox;
  /** Stops the sandbox, if one was started; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Builds an AS client and token source from the environment, or starts the sandbox. With
 * the sandbox, the token source uses the sandbox's client-credentials service account,
 * which holds the admin role and so sees every organisation (and may use `GET /charges`).
 *
 * @throws {ConfigError} when `SQUONK2_ASAPI_URL` or the credentials are not set.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  if (options.sandbox) {
    // Loaded only when asked for: a run against a real AS never loads the sandbox.
    const { startSandbox } = await import("../sandbox/mod.ts");
    const sandbox = await startSandbox({ port: 0, quiet: true, ...options.sandboxOptions });
    try {
      return sandboxConnection(sandbox);
    } catch (error) {
      await sandbox.close();
      throw error;
    }
  }
  const env: EnvLookup = options.env ?? processEnv();
  const config = asConfigFromEnv(env);
  if (!config.url) {
    throw new ConfigError(
      `SQUONK2_ASAPI_URL is not set: set it to the AS base URL, e.g. https://example.com/account-server-api, or pass --sandbox to try the built-in sandbox`,
    );
  }
  const tokens = tokenSourceFromEnv(env);
  if (!/^https?:\/\/[^/]/i.test(config.url) || !URL.canParse(config.url)) {
    throw new ConfigError(
      `SQUONK2_ASAPI_URL "${redactUrl(config.url)}" is not an http(s) URL: set it to the AS ` +
        `base URL, e.g. https://example.com/account-server-api`,
    );
  }
  // A ready token is used before Keycloak (client/keycloak/token_env.ts): a 401 names it.
  const tokenOrigin = env("SQUONK2_ASAPI_TOKEN")?.trim() ? "SQUONK2_ASAPI_TOKEN" : undefined;
  const api = new AsApi({ url: config.url, env, ...(tokenOrigin ? { tokenOrigin } : {}) });
  return { api, tokens, sourceUrl: config.url, close: () => Promise.resolve() };
}

/** A connection to an already running sandbox, as its admin service account. */
export function sandboxConnection(sandbox: RunningSandbox): Connection {
  const tokens = new KeycloakTokenSource({
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
  // The sandbox is on loopback: the environment's TLS and debug settings do not apply.
  const api = new AsApi({ url: sandbox.asUrl, env: () => undefined });
  return {
    api,
    tokens,
    sourceUrl: sandbox.asUrl,
    sandbox,
    close: () => sandbox.close(),
  };
}
