import assert from "node:assert/strict";
import {
  KeycloakTokenSource,
  StaticTokenSource,
  tokenSourceFromEnv,
} from "../client/keycloak/mod.ts";
import { AuthError, ConfigError } from "../client/errors.ts";

const PASSWORD = "p&ss=w rd+%Secret";
const SECRET = "client-secret-XYZ-987";

function jwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) =>
    new TextEncoder().encode(JSON.stringify(o)).toBase64({
      alphabet: "base64url",
      omitPadding: true,
    });
  return `${b64({ alg: "none" })}.${b64(claims)}.sig`;
}

/** A fake token endpoint: records forms, answers from `answer`. */
function endpoint(answer: (form: URLSearchParams, n: number) => Response | Promise<Response>) {
  const forms: URLSearchParams[] = [];
  const urls: string[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    urls.push(req.url);
    const form = new URLSearchParams(await req.text());
    forms.push(form);
    return answer(form, forms.length);
  }) as typeof fetch;
  return { fetchFn, forms, urls };
}

function tokens(n: number, lifetimeS = 300, refresh = true) {
  return Response.json({
    access_token: `access-${n}`,
    expires_in: lifetimeS,
    refresh_expires_in: refresh ? 1800 : 0,
    ...(refresh ? { refresh_token: `refresh-${n}` } : {}),
    token_type: "Bearer",
  });
}

function clock() {
  let t = Date.parse("2026-11-15T12:00:00Z");
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

function source(fetchFn: typeof fetch, now: () => number, extra = {}) {
  return new KeycloakTokenSource({
    keycloakUrl: "http://kc.test/auth/",
    realm: "squonk",
    clientId: "account-server-api",
    username: "alice",
    password: PASSWORD,
    fetch: fetchFn,
    now,
    sleep: () => Promise.resolve(),
    ...extra,
  });
}

Deno.test("keycloak: password grant with an encoded form, then cached", async () => {
  const kc = endpoint((_f, n) => tokens(n));
  const c = clock();
  const src = source(kc.fetchFn, c.now);
  assert.equal(await src.getToken(), "access-1");
  assert.equal(await src.getToken(), "access-1");
  assert.equal(kc.forms.length, 1);
  assert.equal(kc.urls[0], "http://kc.test/auth/realms/squonk/protocol/openid-connect/token");
  const f = kc.forms[0];
  assert.equal(f.get("grant_type"), "password");
  assert.equal(f.get("username"), "alice");
  assert.equal(f.get("password"), PASSWORD);
  assert.equal(f.get("client_id"), "account-server-api");
  assert.equal(f.has("client_secret"), false);
  assert.equal(src.grant, "password");
});

Deno.test("keycloak: renews 60 s before expiry with the refresh token", async () => {
  const kc = endpoint((_f, n) => tokens(n));
  const c = clock();
  const src = source(kc.fetchFn, c.now);
  await src.getToken();
  c.advance(239);
  assert.equal(await src.getToken(), "access-1");
  c.advance(1); // 240 s: 60 s before the 300 s expiry
  assert.equal(await src.getToken(), "access-2");
  assert.equal(kc.forms[1].get("grant_type"), "refresh_token");
  assert.equal(kc.forms[1].get("refresh_token"), "refresh-1");
  assert.equal(src.requestCount, 2);
});

Deno.test("keycloak: a refused refresh falls back to a new grant", async () => {
  const kc = endpoint((f, n) =>
    f.get("grant_type") === "refresh_token"
      ? Response.json({ error: "invalid_grant", error_description: "Session not active" }, {
        status: 400,
      })
      : tokens(n)
  );
  const c = clock();
  const src = source(kc.fetchFn, c.now);
  await src.getToken();
  c.advance(290);
  assert.equal(await src.getToken(), "access-3");
  assert.deepEqual(kc.forms.map((f) => f.get("grant_type")), [
    "password",
    "refresh_token",
    "password",
  ]);
});

Deno.test("keycloak: short-lived tokens use half their lifetime as the margin", async () => {
  const kc = endpoint((_f, n) => tokens(n, 4));
  const c = clock();
  const src = source(kc.fetchFn, c.now);
  await src.getToken();
  c.advance(1.9);
  assert.equal(await src.getToken(), "access-1");
  c.advance(0.1);
  assert.equal(await src.getToken(), "access-2");
});

Deno.test("keycloak: without expires_in the JWT exp is used", async () => {
  const c = clock();
  const access = jwt({ exp: c.now() / 1000 + 600, sub: "alice" });
  const kc = endpoint(() => Response.json({ access_token: access }));
  const src = source(kc.fetchFn, c.now);
  await src.getToken();
  c.advance(539);
  await src.getToken();
  assert.equal(kc.forms.length, 1);
  c.advance(1);
  await src.getToken();
  assert.equal(kc.forms.length, 2);
  assert.equal(kc.forms[1].get("grant_type"), "password");
});

Deno.test("keycloak: concurrent callers share one request", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const kc = endpoint(async (_f, n) => {
    await gate;
    return tokens(n);
  });
  const src = source(kc.fetchFn, clock().now);
  const all = Promise.all(Array.from({ length: 20 }, () => src.getToken()));
  release();
  const got = await all;
  assert.equal(new Set(got).size, 1);
  assert.equal(kc.forms.length, 1);
});

Deno.test("keycloak: client credentials grant sends the secret", async () => {
  const kc = endpoint((_f, n) => tokens(n, 300, false));
  const src = new KeycloakTokenSource({
    keycloakUrl: "http://kc.test/auth",
    realm: "squonk",
    clientId: "account-server-api",
    clientSecret: SECRET,
    fetch: kc.fetchFn,
  });
  assert.equal(src.grant, "client_credentials");
  assert.equal(await src.getToken(), "access-1");
  assert.equal(kc.forms[0].get("grant_type"), "client_credentials");
  assert.equal(kc.forms[0].get("client_secret"), SECRET);
});

Deno.test("keycloak: wrong credentials give Keycloak's error, never the password", async () => {
  const kc = endpoint(() =>
    Response.json({ error: "invalid_grant", error_description: "Invalid user credentials" }, {
      status: 401,
    })
  );
  const src = source(kc.fetchFn, clock().now, { clientSecret: SECRET });
  const error = await src.getToken().then(() => undefined, (e) => e);
  assert.ok(error instanceof AuthError);
  assert.match(
    error.message,
    /^Keycloak refused the password grant for user "alice" \(HTTP 401, invalid_grant: Invalid user credentials\)/,
  );
  assert.match(error.message, /SQUONK2_KEYCLOAK_USER_PASSWORD/);
  assert.ok(!error.message.includes(PASSWORD) && !error.message.includes(SECRET));
  assert.equal(kc.forms.length, 1, "a refusal is not retried");
});

Deno.test("keycloak: unreachable Keycloak and a bad answer are clear AuthErrors", async () => {
  const down = endpoint(() => Promise.reject(new TypeError("Connection refused")));
  const e1 = await source(down.fetchFn, clock().now).getToken().then(() => undefined, (e) => e);
  assert.ok(e1 instanceof AuthError);
  assert.match(e1.message, /^Cannot reach Keycloak for the password grant/);
  assert.match(e1.message, /SQUONK2_KEYCLOAK_URL/);
  const html = endpoint(() =>
    new Response("<html>login</html>", { headers: { "content-type": "text/html" } })
  );
  const e2 = await source(html.fetchFn, clock().now).getToken().then(() => undefined, (e) => e);
  assert.ok(e2 instanceof AuthError);
  assert.match(e2.message, /without an access_token/);
  const broken = endpoint(() =>
    new Response("{not json", { headers: { "content-type": "application/json" } })
  );
  const e3 = await source(broken.fetchFn, clock().now).getToken().then(() => undefined, (e) => e);
  assert.ok(e3 instanceof AuthError);
  assert.match(e3.message, /^Keycloak sent a broken answer to the password grant/);
  assert.ok(!e3.message.includes(PASSWORD));
});

Deno.test("keycloak: constructor refuses incomplete settings", () => {
  assert.throws(
    () =>
      new KeycloakTokenSource({ keycloakUrl: "", realm: "r", clientId: "c", clientSecret: "s" }),
    /needs keycloakUrl/,
  );
  assert.throws(
    () => new KeycloakTokenSource({ keycloakUrl: "http://k", realm: "r", clientId: "c" }),
    ConfigError,
  );
});

Deno.test("tokenSourceFromEnv: a ready token wins; missing variables are named", async () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  const ready = tokenSourceFromEnv(
    env({ SQUONK2_ASAPI_TOKEN: "ready-token", SQUONK2_KEYCLOAK_URL: "x" }),
  );
  assert.ok(ready instanceof StaticTokenSource);
  assert.equal(await ready.getToken(), "ready-token");

  assert.throws(
    () => tokenSourceFromEnv(env({})),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message.includes(
        "SQUONK2_KEYCLOAK_URL, SQUONK2_KEYCLOAK_REALM, SQUONK2_KEYCLOAK_AS_CLIENT_ID",
      ) &&
      e.message.includes("SQUONK2_ASAPI_TOKEN"),
  );
  const base = {
    SQUONK2_KEYCLOAK_URL: "http://kc/auth",
    SQUONK2_KEYCLOAK_REALM: "squonk",
    SQUONK2_KEYCLOAK_AS_CLIENT_ID: "as",
  };
  assert.throws(
    () => tokenSourceFromEnv(env({ ...base, SQUONK2_KEYCLOAK_USER: "bob" })),
    /set SQUONK2_KEYCLOAK_USER_PASSWORD/,
  );
  assert.throws(() => tokenSourceFromEnv(env(base)), /either SQUONK2_KEYCLOAK_AS_CLIENT_SECRET/);
  const cc = tokenSourceFromEnv(env({ ...base, SQUONK2_KEYCLOAK_AS_CLIENT_SECRET: SECRET }));
  assert.equal((cc as KeycloakTokenSource).grant, "client_credentials");
  const pw = tokenSourceFromEnv(
    env({ ...base, SQUONK2_KEYCLOAK_USER: "bob", SQUONK2_KEYCLOAK_USER_PASSWORD: PASSWORD }),
  );
  assert.equal((pw as KeycloakTokenSource).grant, "password");
});

Deno.test("StaticTokenSource: an expired JWT is refused with a clear message", async () => {
  const now = Date.parse("2026-11-15T12:00:00Z");
  const expired = jwt({ exp: now / 1000 - 10 });
  const src = new StaticTokenSource(expired, { now: () => now });
  await assert.rejects(() => src.getToken(), /SQUONK2_ASAPI_TOKEN expired at 2026-11-15T11:59:50/);
  assert.throws(() => new StaticTokenSource(" "), ConfigError);
});

Deno.test("keycloak: a Keycloak failure inside the margin keeps the still-valid token", async () => {
  let down = false;
  const kc = endpoint((_f, n) =>
    down ? Response.json({ error: "unknown_error" }, { status: 503 }) : tokens(n)
  );
  const c = clock();
  const src = source(kc.fetchFn, c.now);
  assert.equal(await src.getToken(), "access-1");
  down = true;
  c.advance(250); // 50 s left: renewal is due but the token is still good
  assert.equal(await src.getToken(), "access-1");
  down = false;
  const renewed = await src.getToken();
  assert.notEqual(renewed, "access-1", "renewal is tried again on the next call");
  assert.equal(kc.forms.at(-1)?.get("grant_type"), "refresh_token");
  down = true;
  c.advance(301); // the renewed token has expired: nothing left to fall back on
  await assert.rejects(() => src.getToken(), AuthError);
});
