/**
 * The sandbox Keycloak over real HTTP: each grant, each error shape, refresh, expiry,
 * JWKS signature verification with WebCrypto, and the `authenticate` hook on a stand-in
 * protected route.
 */

import assert from "node:assert/strict";
import { Hono } from "hono";
import { createKeycloak, type SandboxKeycloak } from "../sandbox/keycloak/mod.ts";

const USERS = [
  { username: "alice", password: "alice-pw", roles: ["as-user"] },
  { username: "bob", password: "b&b=pw x", roles: ["as-user", "as-admin"] },
];

interface Fixture {
  kc: SandboxKeycloak;
  base: string;
  tokenUrl: string;
  tokenRequests: () => number;
  close(): Promise<void>;
}

async function start(options: { tokenLifetimeS?: number; refreshTokenLifetimeS?: number } = {}) {
  let origin = "";
  let tokenRequests = 0;
  const kc = await createKeycloak({
    users: () => USERS,
    serviceAccountRoles: ["as-user", "as-admin"],
    keycloakUrl: () => `${origin}/auth`,
    clientSecret: "s3cret-client",
    onTokenRequest: () => tokenRequests++,
    ...options,
  });
  const app = new Hono();
  app.route("/auth", kc.app);
  app.get("/protected", async (c) => {
    const principal = await kc.authenticate(c.req.raw);
    return principal ? c.json(principal) : c.body(null, 401);
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  origin = `http://127.0.0.1:${server.addr.port}`;
  const fixture: Fixture = {
    kc,
    base: origin,
    tokenUrl: `${origin}/auth/realms/squonk/protocol/openid-connect/token`,
    tokenRequests: () => tokenRequests,
    close: () => server.shutdown(),
  };
  return fixture;
}

async function post(url: string, form: Record<string, string>, headers: HeadersInit = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** Decodes one base64url part of a JWT. */
function base64UrlDecode(part: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.fromBase64(part, { alphabet: "base64url" });
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64UrlDecode(jwt.split(".")[1])));
}

async function whoAmI(f: Fixture, token?: string): Promise<number | Record<string, unknown>> {
  const res = await fetch(`${f.base}/protected`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (res.status !== 200) {
    await res.body?.cancel();
    return res.status;
  }
  return await res.json();
}

const PASSWORD = { grant_type: "password", client_id: "account-server-api" };

Deno.test("password grant returns Keycloak's token response and a working access token", async () => {
  const f = await start();
  try {
    const r = await post(f.tokenUrl, { ...PASSWORD, username: "bob", password: "b&b=pw x" });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.deepEqual(
      Object.keys(r.body).sort(),
      [
        "access_token",
        "expires_in",
        "not-before-policy",
        "refresh_expires_in",
        "refresh_token",
        "scope",
        "session_state",
        "token_type",
      ],
    );
    assert.equal(r.body.token_type, "Bearer");
    assert.equal(r.body.expires_in, 300);
    assert.equal(r.body.refresh_expires_in, 1800);
    assert.equal(r.body["not-before-policy"], 0);
    const claims = claimsOf(r.body.access_token);
    assert.equal(claims.iss, `${f.base}/auth/realms/squonk`);
    assert.equal(claims.azp, "account-server-api");
    assert.equal(claims.preferred_username, "bob");
    assert.equal(claims.typ, "Bearer");
    assert.deepEqual(claims.realm_access, { roles: ["as-user", "as-admin"] });
    assert.equal((claims.exp as number) - (claims.iat as number), 300);
    assert.match(String(claims.sub), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    assert.deepEqual(await whoAmI(f, r.body.access_token), {
      username: "bob",
      roles: ["as-user", "as-admin"],
    });
    assert.equal(await whoAmI(f), 401);
    assert.equal(await whoAmI(f, "not-a-jwt"), 401);
  } finally {
    await f.close();
  }
});

Deno.test("password grant accepts the right client secret, by form or HTTP Basic", async () => {
  const f = await start();
  try {
    const form = { ...PASSWORD, username: "alice", password: "alice-pw" };
    const withSecret = await post(f.tokenUrl, { ...form, client_secret: "s3cret-client" });
    assert.equal(withSecret.status, 200);
    const basic = `Basic ${btoa("account-server-api:s3cret-client")}`;
    const { client_id: _omit, ...noClient } = form;
    const viaBasic = await post(f.tokenUrl, noClient, { authorization: basic });
    assert.equal(viaBasic.status, 200);
    assert.equal(claimsOf(viaBasic.body.access_token).preferred_username, "alice");
    assert.equal(f.tokenRequests(), 2);
  } finally {
    await f.close();
  }
});

Deno.test("token endpoint errors have Keycloak's statuses and bodies", async () => {
  const f = await start();
  try {
    const badUser = { error: "invalid_grant", error_description: "Invalid user credentials" };
    const badClient = {
      error: "invalid_client",
      error_description: "Invalid client or Invalid client credentials",
    };
    const cases: [Record<string, string>, number, Record<string, string>][] = [
      [{ ...PASSWORD, username: "alice", password: "wrong" }, 401, badUser],
      [{ ...PASSWORD, username: "nobody", password: "alice-pw" }, 401, badUser],
      [
        { ...PASSWORD, client_id: "other", username: "alice", password: "alice-pw" },
        401,
        badClient,
      ],
      [
        { ...PASSWORD, client_secret: "wrong", username: "alice", password: "alice-pw" },
        401,
        badClient,
      ],
      [{ grant_type: "client_credentials", client_id: "account-server-api" }, 401, badClient],
      [
        { grant_type: "authorization_code", client_id: "account-server-api" },
        400,
        { error: "unsupported_grant_type", error_description: "Unsupported grant_type" },
      ],
      [
        { client_id: "account-server-api" },
        400,
        { error: "invalid_request", error_description: "Missing form parameter: grant_type" },
      ],
      [
        { grant_type: "password", username: "alice", password: "alice-pw" },
        400,
        { error: "invalid_request", error_description: "Missing parameter: client_id" },
      ],
      [
        { ...PASSWORD, password: "alice-pw" },
        400,
        { error: "invalid_request", error_description: "Missing parameter: username" },
      ],
      [
        { ...PASSWORD, username: "alice" },
        400,
        { error: "invalid_request", error_description: "Missing parameter: password" },
      ],
      [
        { grant_type: "refresh_token", client_id: "account-server-api" },
        400,
        { error: "invalid_request", error_description: "Missing parameter: refresh_token" },
      ],
      [
        { grant_type: "refresh_token", client_id: "account-server-api", refresh_token: "x.y.z" },
        400,
        { error: "invalid_grant", error_description: "Invalid refresh token" },
      ],
    ];
    for (const [form, status, body] of cases) {
      const r = await post(f.tokenUrl, form);
      assert.equal(r.status, status, JSON.stringify(form));
      assert.deepEqual(r.body, body, JSON.stringify(form));
    }
    const json = await fetch(f.tokenUrl, { method: "POST", body: JSON.stringify(PASSWORD) });
    assert.equal(json.status, 400);
    assert.equal((await json.json()).error, "invalid_request");
    const wrongRealm = await post(
      `${f.base}/auth/realms/other/protocol/openid-connect/token`,
      { ...PASSWORD, username: "alice", password: "alice-pw" },
    );
    assert.equal(wrongRealm.status, 404);
    assert.deepEqual(wrongRealm.body, { error: "Realm does not exist" });
  } finally {
    await f.close();
  }
});

Deno.test("client credentials grant gives the service account admin roles, no refresh token", async () => {
  const f = await start();
  try {
    const r = await post(f.tokenUrl, {
      grant_type: "client_credentials",
      client_id: "account-server-api",
      client_secret: "s3cret-client",
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.refresh_token, undefined);
    assert.equal(r.body.refresh_expires_in, 0);
    assert.deepEqual(await whoAmI(f, r.body.access_token), {
      username: "service-account-account-server-api",
      roles: ["as-user", "as-admin"],
    });
  } finally {
    await f.close();
  }
});

Deno.test("refresh grant renews the access token within the same session", async () => {
  const f = await start();
  try {
    const first = await post(f.tokenUrl, {
      ...PASSWORD,
      username: "alice",
      password: "alice-pw",
      scope: "openid",
    });
    assert.equal(first.body.scope, "openid profile email");
    const second = await post(f.tokenUrl, {
      grant_type: "refresh_token",
      client_id: "account-server-api",
      refresh_token: first.body.refresh_token,
    });
    assert.equal(second.status, 200);
    assert.equal(second.body.session_state, first.body.session_state);
    assert.equal(second.body.scope, "openid profile email");
    assert.notEqual(second.body.access_token, first.body.access_token);
    assert.equal(
      (await whoAmI(f, second.body.access_token) as { username: string }).username,
      "alice",
    );
    // An access token is not a refresh token.
    const wrongType = await post(f.tokenUrl, {
      grant_type: "refresh_token",
      client_id: "account-server-api",
      refresh_token: first.body.access_token,
    });
    assert.deepEqual(wrongType.body, {
      error: "invalid_grant",
      error_description: "Invalid refresh token",
    });
  } finally {
    await f.close();
  }
});

Deno.test("tokens expire in real time: access 401, refresh 'Token is not active'", async () => {
  const f = await start({ tokenLifetimeS: 1, refreshTokenLifetimeS: 1 });
  try {
    const r = await post(f.tokenUrl, { ...PASSWORD, username: "alice", password: "alice-pw" });
    assert.equal(r.body.expires_in, 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.equal(await whoAmI(f, r.body.access_token), 401);
    const refreshed = await post(f.tokenUrl, {
      grant_type: "refresh_token",
      client_id: "account-server-api",
      refresh_token: r.body.refresh_token,
    });
    assert.equal(refreshed.status, 400);
    assert.deepEqual(refreshed.body, {
      error: "invalid_grant",
      error_description: "Token is not active",
    });
  } finally {
    await f.close();
  }
});

Deno.test("JWKS and realm document verify the token signature with WebCrypto", async () => {
  const f = await start();
  const other = await start();
  try {
    const r = await post(f.tokenUrl, { ...PASSWORD, username: "alice", password: "alice-pw" });
    const [h, p, s] = r.body.access_token.split(".");
    const header = JSON.parse(new TextDecoder().decode(base64UrlDecode(h)));
    const certs = await (await fetch(`${f.base}/auth/realms/squonk/protocol/openid-connect/certs`))
      .json();
    const jwk = certs.keys.find((k: { kid: string }) => k.kid === header.kid);
    assert.ok(jwk, "JWKS lists the token's kid");
    assert.deepEqual(Object.keys(jwk).sort(), ["alg", "e", "kid", "kty", "n", "use"]);
    const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const key = await crypto.subtle.importKey("jwk", jwk, algorithm, false, ["verify"]);
    const data = new TextEncoder().encode(`${h}.${p}`);
    assert.equal(await crypto.subtle.verify(algorithm, key, base64UrlDecode(s), data), true);
    const tampered = new TextEncoder().encode(`${h}.${p}x`);
    assert.equal(await crypto.subtle.verify(algorithm, key, base64UrlDecode(s), tampered), false);

    const realmDoc = await (await fetch(`${f.base}/auth/realms/squonk`)).json();
    const spki = Uint8Array.fromBase64(realmDoc.public_key);
    const key2 = await crypto.subtle.importKey("spki", spki, algorithm, false, ["verify"]);
    assert.equal(await crypto.subtle.verify(algorithm, key2, base64UrlDecode(s), data), true);

    const discovery = await (
      await fetch(`${f.base}/auth/realms/squonk/.well-known/openid-configuration`)
    ).json();
    assert.equal(discovery.issuer, `${f.base}/auth/realms/squonk`);
    assert.equal(discovery.token_endpoint, f.tokenUrl);

    // A token signed by another sandbox's key is refused.
    const foreign = await post(other.tokenUrl, {
      ...PASSWORD,
      username: "alice",
      password: "alice-pw",
    });
    assert.equal(await whoAmI(f, foreign.body.access_token), 401);
  } finally {
    await f.close();
    await other.close();
  }
});
