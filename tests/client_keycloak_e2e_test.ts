import assert from "node:assert/strict";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { AuthError } from "../client/errors.ts";
import { ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

/** A clock that runs with real time plus an offset the test moves forward. */
function shiftedClock() {
  let offsetMs = 0;
  return { now: () => Date.now() + offsetMs, advanceS: (s: number) => (offsetMs += s * 1000) };
}

Deno.test("e2e keycloak: tokens are cached, refreshed near expiry, and work on the AS", async () => {
  await withSandbox(async ({ sb, api, source }) => {
    const clock = shiftedClock();
    const tokens = source("ada.lovelace", { now: clock.now });
    sb.resetStats();
    const first = await tokens.getToken();
    assert.equal(await tokens.getToken(), first);
    assert.equal(sb.stats().tokenRequests, 1, "cached");
    assert.equal(ok(await api.getAccount(first)).user.id, "ada.lovelace");

    // 30 s lifetime: the margin is 15 s, so at +10 s the token is kept and at +16 s renewed.
    clock.advanceS(10);
    assert.equal(await tokens.getToken(), first);
    clock.advanceS(6);
    const second = await tokens.getToken();
    assert.notEqual(second, first);
    assert.equal(sb.stats().tokenRequests, 2);
    assert.equal(ok(await api.getAccount(second)).user.id, "ada.lovelace");
  }, { sandbox: { tokenLifetimeS: 30 } });
});

Deno.test("e2e keycloak: a failed refresh falls back to a new password grant", async () => {
  await withSandbox(async ({ sb, api, source }) => {
    const clock = shiftedClock();
    const tokens = source("grace_hopper", { now: clock.now, sleep: () => Promise.resolve() });
    await tokens.getToken();
    sb.setFaults({
      rules: [{ target: "keycloak", methods: ["POST"], kind: "status", status: 400, times: 1 }],
    });
    sb.resetStats();
    clock.advanceS(25);
    const renewed = await tokens.getToken();
    assert.equal(sb.stats().tokenRequests, 2, "one refused refresh, one password grant");
    assert.equal(ok(await api.getAccount(renewed)).user.id, "grace_hopper");
  }, { sandbox: { tokenLifetimeS: 30 } });
});

Deno.test("e2e keycloak: concurrent callers share one token request", async () => {
  await withSandbox(async ({ sb, source }) => {
    const tokens = source("chen.wei");
    sb.resetStats();
    const got = await Promise.all(Array.from({ length: 25 }, () => tokens.getToken()));
    assert.equal(new Set(got).size, 1);
    assert.equal(sb.stats().tokenRequests, 1);
  });
});

Deno.test("e2e keycloak: client credentials give a working service token", async () => {
  await withSandbox(async ({ sb, api }) => {
    const tokens = new KeycloakTokenSource({
      keycloakUrl: sb.keycloakUrl,
      realm: sb.realm,
      clientId: sb.clientId,
      clientSecret: sb.clientSecret,
    });
    const token = await tokens.getToken();
    assert.ok(ok(await api.getAccount(token)).caller_has_admin_privilege);
  });
});

Deno.test("e2e keycloak: wrong credentials, realm or address give clear AuthErrors", async () => {
  await withSandbox(async ({ sb, source }) => {
    const wrong = source("ada.lovelace", { password: "not-her-password" });
    const e1 = await wrong.getToken().then(() => undefined, (e) => e);
    assert.ok(e1 instanceof AuthError);
    assert.match(
      e1.message,
      /password grant for user "ada\.lovelace" \(HTTP 401, invalid_grant: Invalid user credentials\)/,
    );
    assert.ok(!e1.message.includes("not-her-password"));

    const badSecret = new KeycloakTokenSource({
      keycloakUrl: sb.keycloakUrl,
      realm: sb.realm,
      clientId: sb.clientId,
      clientSecret: "wrong-secret-value",
    });
    const e2 = await badSecret.getToken().then(() => undefined, (e) => e);
    assert.ok(e2 instanceof AuthError);
    assert.match(e2.message, /invalid_client/);
    assert.match(e2.message, /SQUONK2_KEYCLOAK_AS_CLIENT_SECRET/);
    assert.ok(!e2.message.includes("wrong-secret-value"));

    const badRealm = source("ada.lovelace", { realm: "nope" });
    const e3 = await badRealm.getToken().then(() => undefined, (e) => e);
    assert.ok(e3 instanceof AuthError);
    assert.match(e3.message, /HTTP 404/);
    assert.match(e3.message, /SQUONK2_KEYCLOAK_REALM/);

    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closedPort = listener.addr.port;
    listener.close();
    const down = source("ada.lovelace", {
      keycloakUrl: `http://127.0.0.1:${closedPort}/auth`,
      sleep: () => Promise.resolve(),
    });
    const e4 = await down.getToken().then(() => undefined, (e) => e);
    assert.ok(e4 instanceof AuthError);
    assert.match(e4.message, /^Cannot reach Keycloak/);
  });
});
