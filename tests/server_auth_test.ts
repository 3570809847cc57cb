import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAuth, createSecretMatcher, parseAuthTokens } from "../reports/server/auth.ts";
import { createJwksVerifier } from "../reports/server/oidc.ts";

const ISSUER = "http://kc.test/realms/squonk";

function b64url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
}

async function keyPair(kid: string) {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  return {
    kid,
    privateKey: pair.privateKey,
    jwk: { kid, kty: "RSA", alg: "RS256", use: "sig", n: jwk.n, e: jwk.e },
  };
}

async function sign(
  key: { kid: string; privateKey: CryptoKey },
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const h = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: key.kid, ...header }));
  const p = b64url(JSON.stringify(claims));
  const sig = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    key.privateKey,
    new TextEncoder().encode(`${h}.${p}`),
  );
  return `${h}.${p}.${b64url(new Uint8Array(sig))}`;
}

function claims(overrides: Record<string, unknown> = {}) {
  return {
    iss: ISSUER,
    exp: Math.floor(Date.now() / 1000) + 300,
    typ: "Bearer",
    azp: "squonk2-reports",
    preferred_username: "finance",
    realm_access: { roles: ["billing-reader"] },
    ...overrides,
  };
}

function jwksFetch(keys: () => unknown[], counter: { n: number }): typeof fetch {
  return (input) => {
    counter.n++;
    assert.equal(String(input), `${ISSUER}/protocol/openid-connect/certs`);
    return Promise.resolve(Response.json({ keys: keys() }));
  };
}

function appWith(auth: Parameters<typeof createAuth>[0]): Hono {
  const app = new Hono();
  app.use("*", createAuth(auth));
  app.get("/x", (c) => c.json(c.get("principal" as never)));
  return app;
}

const basic = (user: string, password: string) =>
  "Basic " + new TextEncoder().encode(`${user}:${password}`).toBase64();

Deno.test("bearer and basic accept only configured secrets and prompt browsers with a realm", async () => {
  const app = appWith({ tokens: ["s3cret-token-one", "s3cret-token-two"] });
  const res401 = await app.request("/x");
  assert.equal(res401.status, 401);
  assert.equal(res401.headers.get("www-authenticate"), 'Basic realm="squonk2 reports"');
  await res401.body?.cancel();
  for (
    const header of [
      "Bearer wrong",
      "Bearer s3cret-token-one2",
      basic("anyone", "wrong"),
      "Basic !!!",
      "Digest s3cret-token-one",
      "Bearer",
      basic("s3cret-token-one", ""),
    ]
  ) {
    const res = await app.request("/x", { headers: { authorization: header } });
    assert.equal(res.status, 401, header);
    await res.body?.cancel();
  }
  const bearer = await app.request("/x", { headers: { authorization: "Bearer s3cret-token-two" } });
  assert.deepEqual(await bearer.json(), { kind: "bearer", name: "" });
  const b = await app.request("/x", {
    headers: { authorization: basic("Zoë", "s3cret-token-one") },
  });
  assert.deepEqual(await b.json(), { kind: "basic", name: "Zoë" });
});

Deno.test("secret matching compares every secret and ignores blanks", () => {
  assert.deepEqual(parseAuthTokens(" a1b2c3d4 , ,e5f6g7h8,"), ["a1b2c3d4", "e5f6g7h8"]);
  const match = createSecretMatcher(["alpha-secret", ""]);
  assert.equal(match("alpha-secret"), true);
  assert.equal(match(""), false);
  assert.equal(match("alpha-secre"), false);
  assert.equal(createSecretMatcher([])("anything"), false);
});

Deno.test("OIDC tokens are verified against the JWKS, with issuer, expiry and role checks", async () => {
  const k1 = await keyPair("k1");
  const other = await keyPair("k1"); // same kid, different key: a forged signature
  const counter = { n: 0 };
  const verifier = createJwksVerifier(ISSUER, {
    audience: "squonk2-reports",
    fetch: jwksFetch(() => [k1.jwk], counter),
  });
  const app = appWith({ tokens: ["static-secret"], oidc: { verifier, role: "billing-reader" } });
  const anyRole = appWith({ oidc: { verifier, role: "*" } });
  const call = async (token: string) => {
    const res = await app.request("/x", { headers: { authorization: `Bearer ${token}` } });
    const body = res.status === 200 ? await res.json() : (await res.body?.cancel(), null);
    return { status: res.status, body };
  };
  assert.deepEqual(await call(await sign(k1, claims())), {
    status: 200,
    body: { kind: "oidc", name: "finance" },
  });
  assert.equal((await call(await sign(other, claims()))).status, 401, "forged signature");
  assert.equal(
    (await call(await sign(k1, claims({ iss: "http://evil/realms/squonk" })))).status,
    401,
    "issuer",
  );
  assert.equal(
    (await call(await sign(k1, claims({ exp: Math.floor(Date.now() / 1000) - 120 })))).status,
    401,
    "expired",
  );
  assert.equal((await call(await sign(k1, claims({ exp: undefined })))).status, 401, "no exp");
  assert.equal(
    (await call(await sign(k1, claims({ realm_access: { roles: ["other"] } })))).status,
    401,
    "role",
  );
  assert.equal((await call(await sign(k1, claims(), { alg: "HS256" }))).status, 401, "alg");
  const [h, p] = (await sign(k1, claims())).split(".");
  assert.equal((await call(`${h}.${p}.`)).status, 401, "no signature");
  const none = b64url(JSON.stringify({ alg: "none", kid: "k1" }));
  assert.equal((await call(`${none}.${p}.`)).status, 401, "alg none");
  assert.equal(
    (await call(await sign(k1, claims({ azp: "other", aud: "account" })))).status,
    401,
    "another client",
  );
  assert.equal(
    (await call(await sign(k1, claims({ azp: "other", aud: ["account", "squonk2-reports"] }))))
      .status,
    200,
    "audience in aud",
  );
  assert.equal((await call(await sign(k1, claims({ typ: "Refresh" })))).status, 401, "typ");
  const roleless = await sign(k1, claims({ realm_access: { roles: [] } }));
  const res = await anyRole.request("/x", { headers: { authorization: `Bearer ${roleless}` } });
  assert.equal(res.status, 200, "role *");
  await res.body?.cancel();
  assert.equal(counter.n, 1, "the JWKS is fetched once and cached");
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("the JWKS is refetched on an unknown key id, at most once per interval", async () => {
  const k1 = await keyPair("k1");
  const k2 = await keyPair("k2");
  let keys = [k1.jwk];
  const counter = { n: 0 };
  const verifier = createJwksVerifier(ISSUER, {
    audience: "squonk2-reports",
    fetch: jwksFetch(() => keys, counter),
    minRefetchMs: 300,
    ttlMs: 900,
  });
  assert.equal((await verifier.verify(await sign(k1, claims()))).preferred_username, "finance");
  assert.equal(counter.n, 1);
  // Keycloak rotated its key, but we are within the refetch interval: refused without a fetch.
  keys = [k1.jwk, k2.jwk];
  await assert.rejects(verifier.verify(await sign(k2, claims())), /unknown key/);
  assert.equal(counter.n, 1);
  await pause(350);
  assert.equal((await verifier.verify(await sign(k2, claims()))).iss, ISSUER);
  assert.equal(counter.n, 2);
  // Past the cache lifetime the keys are fetched again.
  await pause(950);
  await verifier.verify(await sign(k1, claims()));
  assert.equal(counter.n, 3);
});

Deno.test("an unreachable JWKS refuses tokens without hammering Keycloak, and keeps known keys", async () => {
  const k1 = await keyPair("k1");
  let up = true;
  let calls = 0;
  const verifier = createJwksVerifier(ISSUER, {
    audience: "squonk2-reports",
    fetch: () => {
      calls++;
      return up
        ? Promise.resolve(Response.json({ keys: [k1.jwk] }))
        : Promise.reject(new TypeError("connection refused"));
    },
    ttlMs: 600,
    minRefetchMs: 300,
  });
  up = false;
  for (let i = 0; i < 5; i++) {
    await assert.rejects(
      verifier.verify(await sign(k1, claims())),
      (e: Error) => e.name === "AuthError",
    );
  }
  assert.equal(calls, 1, "one attempt per interval");
  await pause(350);
  up = true;
  await verifier.verify(await sign(k1, claims()));
  assert.equal(calls, 2);
  // The cache expires while Keycloak is down: the known key keeps working.
  up = false;
  await pause(650);
  await verifier.verify(await sign(k1, claims()));
  assert.equal(calls, 3);
});
