import assert from "node:assert/strict";
import { failed, ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

Deno.test("e2e meta: ping, versions and the account", async () => {
  await withSandbox(async ({ api, admin, user }) => {
    assert.equal(typeof ok(await api.ping()).version, "string");
    assert.equal(typeof ok(await api.getVersion({ timeoutS: 2 })).version, "string");
    const es = ok(await api.getEventStreamVersion());
    assert.equal(typeof es.protocol, "string");
    const mine = ok(await api.getAccount(admin));
    assert.equal(mine.user.id, "sandbox-admin");
    assert.equal(mine.caller_has_admin_privilege, true);
    const ada = ok(await api.getAccount(user));
    assert.equal(ada.user.id, "ada.lovelace");
    assert.equal(ada.caller_has_admin_privilege, false);
    const bad = await api.getAccount("not-a-real-token");
    assert.equal(bad.success, false);
    assert.equal(bad.httpStatusCode, 401);
  });
});

Deno.test("e2e meta: merchants", async () => {
  await withSandbox(async ({ api, user }) => {
    const all = ok(await api.getMerchants(user));
    assert.ok(all.merchants.length > 0);
    const first = all.merchants[0];
    const one = ok(await api.getMerchant(user, { merchantId: first.id }));
    assert.equal(one.name, first.name);
    failed(await api.getMerchant(user, { merchantId: 99999 }), 404, "unknown merchant");
  });
});

Deno.test("e2e meta: event streams create, get, delete", async () => {
  await withSandbox(async ({ api, user, outsider }) => {
    failed(await api.getEventStream(user), 404, "no stream yet");
    const created = ok(await api.createEventStream(user, { eventFormat: "JSON_STRING" }));
    assert.equal(created.format, "JSON_STRING");
    const got = ok(await api.getEventStream(user));
    assert.equal(got.id, created.id);
    const again = await api.createEventStream(user);
    assert.equal(again.success, false, "one stream per user");
    assert.ok([400, 409].includes(again.httpStatusCode));
    const foreign = await api.deleteEventStream(outsider, { eventStreamId: created.id });
    assert.equal(foreign.success, false, "only the creator may delete");
    assert.ok([403, 404].includes(foreign.httpStatusCode));
    assert.deepEqual(ok(await api.deleteEventStream(user, { eventStreamId: created.id })), {});
    failed(await api.deleteEventStream(user, { eventStreamId: created.id }), 404, "deleted twice");
  });
});

Deno.test("e2e meta: actions are admin only", async () => {
  await withSandbox(async ({ api, admin, user }) => {
    const actions = ok(await api.getActions(admin, { from: "2026-01-01", until: "2026-11-16" }));
    assert.equal(typeof actions.count, "number");
    assert.ok(Array.isArray(actions.actions));
    failed(await api.getActions(user), 403, "actions as a user");
  });
});

Deno.test("e2e meta: failure paths of the token-free and list calls", async () => {
  await withSandbox(async ({ sb, api, user }) => {
    // No event-stream service: the documented 404 (injected, the sandbox normally has one).
    sb.setFaults({ rules: [{ path: "/event-stream/version", kind: "status", status: 404 }] });
    failed(await api.getEventStreamVersion(), 404, "no event-stream service");
    sb.setFaults({});
    failed(await api.getMerchants("bogus-token"), 401, "merchants without a valid token");

    // setApiUrl re-points a client; an unreachable server is status 0 for ping and version.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    api.setApiUrl(`http://127.0.0.1:${port}/account-server-api/`);
    assert.deepEqual(api.getApiUrl(), {
      url: `http://127.0.0.1:${port}/account-server-api`,
      verifySslCert: true,
    });
    const down = failed(await api.ping({ timeoutS: 1 }), 0, "ping a closed port");
    assert.match(
      down,
      /^Failed getting version: GET http:\/\/127\.0\.0\.1:\d+\/account-server-api\/version failed after 3 attempts/,
    );
    failed(await api.getVersion(), 0, "version from a closed port");
    api.setApiUrl(sb.asUrl);
    ok(await api.getMerchants(user), "back on the sandbox");
  });
});
