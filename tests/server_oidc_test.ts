/**
 * The report server's Keycloak sign-in over real HTTP: tokens minted by the sandbox's
 * Keycloak (served on its own port) are sent to the report server (served on another), and
 * only an access token of the right issuer, for the right client (`aud` or `azp`), with
 * `typ: Bearer`, an accepted algorithm, not expired and carrying the role gets in. Every
 * refusal is 401, the role-less one included.
 */

import assert from "node:assert/strict";
import { createKeycloak, type SandboxKeycloak } from "../sandbox/keycloak/mod.ts";
import { generateSigningKey, signJwt } from "../sandbox/keycloak/jwt.ts";
import { createJwksVerifier, createReportServer } from "../reports/server/app.ts";
import type { ServerApi } from "../reports/server/context.ts";

const AUDIENCE = "squonk2-reports";
const SECRET = "static-secret-0123456789";
const USERS = [
  { username: "finance", password: "finance-pw", roles: ["billing-reader"] },
  { username: "nobody", password: "nobody-pw", roles: ["offline_access"] },
];
const CLIENTS = [
  { id: AUDIENCE, secret: "reports-client-secret" },
  { id: "other-app", secret: "other-client-secret" },
  // A front end whose tokens carry the report server in `aud` (an audience mapper).
  { id: "reports-web", secret: "web-client-secret", audiences: [AUDIENCE] },
];

interface Running {
  kc: SandboxKeycloak;
  issuer: string;
  tokenUrl: string;
  /** Report server origin with role "billing-reader", and with role "*". */
  strict: string;
  open: string;
  close(): Promise<void>;
}

const fakeApi = {
  getVersion: () => Promise.resolve({ success: true, msg: { version: "9.9.9" } }),
} as unknown as ServerApi;

async function start(): Promise<Running> {
  let origin = "";
  const kc = await createKeycloak({
    users: () => USERS,
    serviceAccountRoles: ["billing-reader"],
    keycloakUrl: () => `${origin}/auth`,
    clientSecret: "as-client-secret",
    clients: CLIENTS,
  });
  const { Hono } = await import("hono");
  const kcApp = new Hono();
  kcApp.route("/auth", kc.app);
  const kcServer = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, kcApp.fetch);
  origin = `http://127.0.0.1:${kcServer.addr.port}`;
  const issuer = `${origin}/auth/realms/${kc.realm}`;
  const serve = (role: string) => {
    const app = createReportServer({
      api: fakeApi,
      tokens: { getToken: () => Promise.resolve("unused") },
      sourceUrl: "http://as.invalid",
      auth: {
        tokens: [SECRET],
        oidc: { verifier: createJwksVerifier(issuer, { audience: AUDIENCE }), role },
      },
      log: () => {},
    });
    return Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  };
  const strict = serve("billing-reader");
  const open = serve("*");
  return {
    kc,
    issuer,
    tokenUrl: `${issuer}/protocol/openid-connect/token`,
    strict: `http://127.0.0.1:${strict.addr.port}`,
    open: `http://127.0.0.1:${open.addr.port}`,
    close: async () => {
      await Promise.all([strict.shutdown(), open.shutdown(), kcServer.shutdown()]);
    },
  };
}

async function grant(
  r: Running,
  client: string,
  user: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const c = client === "account-server-api"
    ? { id: client, secret: "as-client-secret" }
    : CLIENTS.find((x) => x.id === client)!;
  const u = USERS.find((x) => x.username === user)!;
  const res = await fetch(r.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      client_id: c.id,
      client_secret: c.secret,
      username: u.username,
      password: u.password,
      ...extra,
    }),
  });
  assert.equal(res.status, 200);
  return await res.json();
}

/** Status of a protected route with `token` as Bearer. */
async function statusWith(origin: string, token: string): Promise<number> {
  const res = await fetch(`${origin}/assets/style.css`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.body?.cancel();
  return res.status;
}

const B64 = { alphabet: "base64url", omitPadding: true } as const;
const enc = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).toBase64(B64);

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(jwt.split(".")[1], B64)));
}

async function hs256(secret: Uint8Array, header: unknown, payload: unknown): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    secret as BufferSource,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const input = `${enc(header)}.${enc(payload)}`;
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input));
  return `${input}.${new Uint8Array(sig).toBase64(B64)}`;
}

Deno.test("OIDC: only an access token for the configured client, with the role, gets in", async () => {
  const r = await start();
  try {
    const good = await grant(r, AUDIENCE, "finance");
    assert.equal(await statusWith(r.strict, good.access_token), 200, "azp matches");
    const web = await grant(r, "reports-web", "finance");
    assert.equal(await statusWith(r.strict, web.access_token), 200, "aud contains it");

    const other = await grant(r, "other-app", "finance");
    assert.equal(await statusWith(r.strict, other.access_token), 401, "another client's token");
    const asClient = await grant(r, "account-server-api", "finance");
    assert.equal(await statusWith(r.strict, asClient.access_token), 401, "the AS client's token");
    const withId = await grant(r, AUDIENCE, "finance", { scope: "openid" });
    assert.equal(typeof withId.id_token, "string");
    assert.equal(await statusWith(r.strict, withId.id_token), 401, "an ID token");
    assert.equal(await statusWith(r.strict, good.refresh_token), 401, "a refresh token");

    const noRole = await grant(r, AUDIENCE, "nobody");
    assert.equal(await statusWith(r.strict, noRole.access_token), 401, "no role: 401 too");
    assert.equal(await statusWith(r.open, noRole.access_token), 200, "role * lets it in");
    assert.equal(await statusWith(r.open, other.access_token), 401, "* keeps the audience");
  } finally {
    await r.close();
  }
});

Deno.test("OIDC: forged, expired and wrongly signed tokens are refused", async () => {
  const r = await start();
  try {
    const good = await grant(r, AUDIENCE, "finance");
    const claims = claimsOf(good.access_token);
    const key = r.kc.realmObject.options.key;
    const now = Math.floor(Date.now() / 1000);
    // The realm key signs these: only the claim under test is wrong.
    assert.equal(await statusWith(r.strict, await signJwt(key, claims)), 200, "control");
    assert.equal(
      await statusWith(r.strict, await signJwt(key, { ...claims, exp: now - 10 })),
      200,
      "expired 10 s ago: within the 30 s leeway",
    );
    for (
      const [what, forged] of [
        ["wrong issuer", { ...claims, iss: "http://127.0.0.1:1/auth/realms/squonk" }],
        ["expired", { ...claims, exp: now - 120 }],
        ["no expiry", { ...claims, exp: undefined }],
        ["not yet valid", { ...claims, nbf: now + 600 }],
        ["typ ID", { ...claims, typ: "ID" }],
        ["no typ", { ...claims, typ: undefined }],
      ] as const
    ) {
      assert.equal(await statusWith(r.strict, await signJwt(key, forged)), 401, what);
    }
    // alg "none", unsigned.
    const none = `${enc({ alg: "none", typ: "JWT", kid: key.kid })}.${enc(claims)}.`;
    assert.equal(await statusWith(r.strict, none), 401, "alg none");
    // HS256 key confusion: HMAC keyed with the public key, as PEM and as the JWKS JSON.
    const spki = Uint8Array.fromBase64(key.spkiBase64);
    const pem = `-----BEGIN PUBLIC KEY-----\n${
      key.spkiBase64.match(/.{1,64}/g)!.join("\n")
    }\n-----END PUBLIC KEY-----\n`;
    for (
      const secret of [
        new TextEncoder().encode(pem),
        spki,
        new TextEncoder().encode(JSON.stringify(key.jwk)),
      ]
    ) {
      const forged = await hs256(secret, { alg: "HS256", typ: "JWT", kid: key.kid }, claims);
      assert.equal(await statusWith(r.strict, forged), 401, "HS256 with the public key");
    }
    // Another key that claims the realm key's id.
    const stranger = await generateSigningKey();
    const wrongKey = await signJwt({ ...stranger, kid: key.kid }, claims);
    assert.equal(await statusWith(r.strict, wrongKey), 401, "wrong key, known kid");
    const unknownKid = await signJwt(stranger, claims);
    assert.equal(await statusWith(r.strict, unknownKid), 401, "unknown kid");
    assert.equal(await statusWith(r.strict, "not.a.jwt"), 401, "garbage");
  } finally {
    await r.close();
  }
});

Deno.test("healthz tells strangers only ok or unavailable; credentials see the details", async () => {
  const r = await start();
  try {
    const anon = await fetch(`${r.strict}/healthz`);
    assert.equal(anon.status, 200);
    assert.deepEqual(await anon.json(), { status: "ok" });
    const wrong = await fetch(`${r.strict}/healthz`, {
      headers: { authorization: "Bearer not-the-secret" },
    });
    assert.equal(wrong.status, 200);
    assert.equal(wrong.headers.get("www-authenticate"), null);
    assert.deepEqual(await wrong.json(), { status: "ok" });
    for (
      const authorization of [
        `Bearer ${SECRET}`,
        "Basic " + btoa(`me:${SECRET}`),
        `Bearer ${(await grant(r, AUDIENCE, "finance")).access_token}`,
      ]
    ) {
      const res = await fetch(`${r.strict}/healthz`, { headers: { authorization } });
      assert.deepEqual(await res.json(), {
        status: "ok",
        accountServer: { ok: true, version: "9.9.9" },
      });
    }
  } finally {
    await r.close();
  }
});

Deno.test("serve refuses OIDC without an audience or a role (exit 2, naming the variable)", async () => {
  const base = {
    SQUONK2_ASAPI_URL: "http://127.0.0.1:9/account-server-api",
    REPORTS_OIDC_ISSUER: "http://127.0.0.1:9/auth/realms/squonk",
    REPORTS_AUTH_TOKENS: "",
    REPORTS_OIDC_ROLE: "",
    REPORTS_OIDC_AUDIENCE: "",
    NO_COLOR: "1",
  };
  for (
    const [env, name] of [
      [{ ...base, REPORTS_OIDC_ROLE: "finance" }, "REPORTS_OIDC_AUDIENCE"],
      [{ ...base, REPORTS_OIDC_AUDIENCE: AUDIENCE }, "REPORTS_OIDC_ROLE"],
    ] as const
  ) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "scripts/serve.ts", "--port", "0"],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, stderr);
    assert.match(stderr, new RegExp(`${name} is not set`));
  }
});
