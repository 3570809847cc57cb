import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAsApp } from "../sandbox/as/app.ts";
import { type TestAsServer, withTestAsServer } from "../sandbox/as/testing.ts";
import { DEMO_ADA, DEMO_ADMIN, DEMO_EVE, DEMO_GRACE, DEMO_OSCAR } from "../sandbox/data/users.ts";
import { createSandboxState } from "../sandbox/state.ts";

function withServer(fn: (s: TestAsServer) => Promise<void>): Promise<void> {
  return withTestAsServer({ seed: 1, now: "2026-03-10T10:00:00Z" }, fn);
}

Deno.test("version endpoints need no token", async () => {
  await withServer(async (s) => {
    const v = await s.call(null, "/version");
    assert.equal(v.status, 200);
    assert.match(v.body.version, /^\d+\.\d+\.\d+/);
    const es = await s.call(null, "/event-stream/version");
    assert.equal(es.status, 200);
    assert.deepEqual(Object.keys(es.body).sort(), ["name", "protocol", "version"]);
    assert.ok(["WEBSOCKET", "SERVICE_NOT_PRESENT", "ERROR_INTERNAL"].includes(es.body.protocol));
  });
});

Deno.test("authentication: no token or an unknown token is 401; unknown paths are 404", async () => {
  await withServer(async (s) => {
    const none = await s.call(null, "/organisation");
    assert.equal(none.status, 401);
    assert.equal(typeof none.body.error, "string");
    const res = await fetch(`${s.url}/organisation`, {
      headers: { authorization: "Bearer test-token-nobody" },
    });
    assert.equal(res.status, 401);
    assert.ok(!(await res.text()).includes("test-token"), "the token is never echoed");
    const missing = await s.call(DEMO_ADA, "/no-such-endpoint");
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /^There is no GET \/no-such-endpoint/);
  });
});

Deno.test("a principal without an Account Server role is refused with 403", async () => {
  const state = createSandboxState({ seed: 1, now: "2026-03-10T10:00:00Z" });
  const app = createAsApp(state, {
    authenticate: () => Promise.resolve({ username: "stranger", roles: ["offline_access"] }),
  });
  const root = new Hono().route("/account-server-api", app);
  const r = await root.request("/account-server-api/organisation");
  assert.equal(r.status, 403);
  assert.match((await r.json()).error, /no Account Server role/);
  const v = await root.request("/account-server-api/version");
  assert.equal(v.status, 200, "mounted under the AS base path");
  await v.body?.cancel();
});

Deno.test("user account: roles and admin privilege", async () => {
  await withServer(async (s) => {
    for (
      const [user, admin] of [[DEMO_ADMIN, true], [DEMO_ADA, false], [DEMO_EVE, false]] as const
    ) {
      const r = await s.call(user, "/user/account");
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body).sort(), [
        "account_server_roles",
        "caller_has_admin_privilege",
        "user",
      ]);
      assert.deepEqual(r.body.user, { id: user });
      assert.equal(r.body.caller_has_admin_privilege, admin);
      assert.deepEqual(r.body.account_server_roles, s.state.user(user)!.roles);
    }
    assert.equal((await s.call(null, "/user/account")).status, 401);
  });
});

Deno.test("event streams: one per user, ws location, creator-only delete", async () => {
  await withServer(async (s) => {
    assert.equal((await s.call(DEMO_ADA, "/event-stream")).status, 404);
    assert.equal(
      (await s.call(DEMO_ADA, "/event-stream", { method: "POST", json: { format: "XML" } })).status,
      400,
    );
    const made = await s.call(DEMO_ADA, "/event-stream", { method: "POST" });
    assert.equal(made.status, 201);
    assert.deepEqual(Object.keys(made.body).sort(), ["format", "id", "location", "name"]);
    assert.ok(Number.isInteger(made.body.id));
    assert.equal(made.body.format, "PROTOCOL_STRING", "the default format");
    const host = new URL(s.url).host;
    assert.match(
      made.body.location,
      new RegExp(`^ws://${host.replace(/\./g, "\\.")}/event-stream/[0-9a-f-]{36}$`),
    );
    assert.deepEqual((await s.call(DEMO_ADA, "/event-stream")).body, made.body);
    const second = await s.call(DEMO_ADA, "/event-stream", {
      method: "POST",
      json: { format: "JSON_STRING" },
    });
    assert.equal(second.status, 400, "a user may have only one stream");
    const grace = await s.call(DEMO_GRACE, "/event-stream", {
      method: "POST",
      json: { format: "JSON_STRING" },
    });
    assert.equal(grace.status, 201);
    assert.equal(grace.body.format, "JSON_STRING");
    assert.notEqual(grace.body.id, made.body.id);
    assert.equal(
      (await s.call(DEMO_GRACE, `/event-stream/${made.body.id}`, { method: "DELETE" })).status,
      403,
    );
    assert.equal(
      (await s.call(DEMO_ADMIN, `/event-stream/${made.body.id}`, { method: "DELETE" })).status,
      403,
    );
    assert.equal((await s.call(DEMO_ADA, "/event-stream/abc", { method: "DELETE" })).status, 400);
    assert.equal((await s.call(DEMO_ADA, "/event-stream/9999", { method: "DELETE" })).status, 404);
    const del = await s.call(DEMO_ADA, `/event-stream/${made.body.id}`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    assert.equal((await s.call(DEMO_ADA, "/event-stream")).status, 404);
    assert.equal((await s.call(null, "/event-stream")).status, 401);
  });
});

Deno.test("actions: admin only, today by default, one filter, two formats", async () => {
  await withServer(async (s) => {
    assert.equal((await s.call(DEMO_ADA, "/action")).status, 403);
    assert.equal((await s.call(null, "/action")).status, 401);
    const today = await s.call(DEMO_ADMIN, "/action");
    assert.equal(today.status, 200);
    assert.equal(today.body.count, today.body.actions.length);
    assert.ok(today.body.count > 0, "the demo has actions today");
    for (const a of today.body.actions) {
      assert.ok(Number.isInteger(a.id));
      assert.equal(typeof a.action, "string");
      assert.equal(typeof a.content, "string");
      assert.ok(a.timestamp.startsWith("2026-03-10"));
      if (a.merchant) assert.deepEqual(Object.keys(a.merchant).sort(), ["id", "kind", "name"]);
    }
    const json = await s.call(DEMO_ADMIN, "/action?format=JSON_STRING");
    assert.equal(typeof JSON.parse(json.body.actions[0].content), "object");
    assert.match(today.body.actions[0].content, /^\w+: \S/, "protocol text is key: value pairs");
    assert.throws(() => JSON.parse(today.body.actions[0].content));
    assert.equal((await s.call(DEMO_ADMIN, "/action?format=YAML")).status, 400);
    const product = today.body.actions[0].product_id;
    const filtered = await s.call(DEMO_ADMIN, `/action?product_id=${product}`);
    assert.ok(filtered.body.actions.every((a: { product_id: string }) => a.product_id === product));
    assert.equal((await s.call(DEMO_ADMIN, `/action?product_id=${product}&m_id=1`)).status, 400);
    assert.equal((await s.call(DEMO_ADMIN, "/action?m_id=x")).status, 400);
    assert.equal(
      (await s.call(DEMO_ADMIN, "/action?from=2026-03-10&until=2026-03-09")).status,
      400,
    );
    assert.equal((await s.call(DEMO_ADMIN, "/action?from=nonsense")).status, 400);
    const history = await s.call(DEMO_ADMIN, "/action?from=2020-01-01&until=2026-03-11");
    assert.ok(history.body.count > today.body.count);
    const before = history.body.count;
    const org = [...s.state.orgs.values()].find((o) => !o.isDefault)!;
    await s.call(DEMO_ADA, `/organisation/${org.id}/user/${DEMO_OSCAR}`, { method: "PUT" });
    const after = await s.call(
      DEMO_ADMIN,
      `/action?from=2020-01-01&until=2026-03-11&org_id=${org.id}`,
    );
    assert.ok(
      after.body.actions.some((a: { action: string }) => a.action === "ORGANISATION_USER_ADDED"),
    );
    assert.equal(
      (await s.call(DEMO_ADMIN, "/action?from=2020-01-01&until=2026-03-11")).body.count,
      before + 1,
    );
  });
});

Deno.test("unexpected errors are a 500 that names the route, reported to onInternalError", async () => {
  const state = createSandboxState({ seed: 1, now: "2026-03-10T10:00:00Z" });
  const seen: unknown[] = [];
  const app = createAsApp(state, {
    authenticate: () => Promise.reject(new Error("boom secret-ish detail")),
    onInternalError: (e) => seen.push(e),
  });
  const r = await app.request("/organisation");
  assert.equal(r.status, 500);
  const body = await r.json();
  assert.match(body.error, /GET \/organisation/);
  assert.ok(!body.error.includes("secret-ish"), "internals are not echoed");
  assert.equal(seen.length, 1);
});
