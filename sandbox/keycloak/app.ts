/**
 * The Keycloak routes of the sandbox, relative to the legacy `/auth` context path: token
 * endpoint, JWKS, realm document and OpenID discovery document.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { parseBasicClient, runGrant } from "./grants.ts";
import type { Realm } from "./realm.ts";

/** Options of {@link createKeycloakApp}. */
export interface KeycloakAppOptions {
  /** Called once per request to the token endpoint, whatever its outcome (for stats). */
  onTokenRequest?: () => void;
}

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/**
 * Builds the Hono app serving `realm` under `/realms/{realm}/...`; mount it under `/auth`.
 * Other realm names answer 404 `{"error":"Realm does not exist"}` like Keycloak.
 */
export function createKeycloakApp(realm: Realm, options: KeycloakAppOptions = {}): Hono {
  const app = new Hono();
  const name = realm.options.realm;
  const issuer = () => realm.options.issuer();

  app.use("/realms/:realm/*", async (c, next) => {
    if (c.req.param("realm") !== name) return c.json({ error: "Realm does not exist" }, 404);
    await next();
  });

  app.post("/realms/:realm/protocol/openid-connect/token", async (c) => {
    options.onTokenRequest?.();
    const type = c.req.header("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      return c.json(
        {
          error: "invalid_request",
          error_description: "Content-Type must be application/x-www-form-urlencoded",
        },
        400,
        NO_STORE,
      );
    }
    const form = new URLSearchParams(await c.req.text());
    const basic = parseBasicClient(c.req.header("authorization") ?? null);
    const result = await runGrant(realm, form, basic);
    return c.json(result.body, result.status, NO_STORE);
  });

  app.get("/realms/:realm/protocol/openid-connect/certs", (c) => {
    return c.json({ keys: [realm.options.key.jwk] });
  });

  app.get("/realms/:realm/.well-known/openid-configuration", (c) => {
    const base = `${issuer()}/protocol/openid-connect`;
    return c.json({
      issuer: issuer(),
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/certs`,
      grant_types_supported: ["password", "client_credentials", "refresh_token"],
      response_types_supported: ["code", "token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      scopes_supported: ["openid", "profile", "email"],
    });
  });

  app.get("/realms/:realm", (c: Context) => {
    if (c.req.param("realm") !== name) return c.json({ error: "Realm does not exist" }, 404);
    return c.json({
      realm: name,
      public_key: realm.options.key.spkiBase64,
      "token-service": `${issuer()}/protocol/openid-connect`,
      "account-service": `${issuer()}/account`,
      "tokens-not-before": 0,
    });
  });

  return app;
}
