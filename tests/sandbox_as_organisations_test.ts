import assert from "node:assert/strict";
import { type TestAsServer, withTestAsServer } from "../sandbox/as/testing.ts";
import {
  DEMO_ADA,
  DEMO_ADMIN,
  DEMO_CHEN,
  DEMO_EVE,
  DEMO_GRACE,
  DEMO_OSCAR,
} from "../sandbox/data/users.ts";

const ORG_ID = /^org-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const PRIVACY = ["ALWAYS_PUBLIC", "ALWAYS_PRIVATE", "DEFAULT_PUBLIC", "DEFAULT_PRIVATE"];

function withServer(fn: (s: TestAsServer) => Promise<void>): Promise<void> {
  return withTestAsServer({ seed: 1, now: "2026-03-01T10:00:00Z" }, fn);
}

function demoOrgs(s: TestAsServer) {
  const [org0, org1, org2] = [...s.state.orgs.values()].filter((o) => !o.isDefault);
  return { org0, org1, org2, def: s.state.defaultOrg() };
}

// deno-lint-ignore no-explicit-any
function checkOrgDetail(o: any, withUsers: boolean) {
  assert.equal(typeof o.caller_is_member, "boolean");
  assert.match(o.id, ORG_ID);
  assert.equal(typeof o.name, "string");
  if (o.name === "Default") {
    assert.equal("owner_id" in o, false, "the Default organisation has no owner");
  } else assert.equal(typeof o.owner_id, "string");
  assert.equal(typeof o.private, "boolean");
  assert.match(o.created, ISO);
  assert.ok(PRIVACY.includes(o.default_product_privacy));
  if (withUsers) {
    assert.ok(Array.isArray(o.users));
    for (const u of o.users) assert.deepEqual(Object.keys(u), ["id"]);
  } else {
    assert.equal("users" in o, false);
  }
}

Deno.test("organisations: listing shape and who sees which organisation", async () => {
  await withServer(async (s) => {
    const { org0, org1, org2, def } = demoOrgs(s);
    const seen = async (user: string) => {
      const r = await s.call(user, "/organisation");
      assert.equal(r.status, 200);
      assert.equal(r.body.count, r.body.organisations.length);
      for (const o of r.body.organisations) checkOrgDetail(o, true);
      return r.body.organisations.map((o: { id: string }) => o.id).sort();
    };
    assert.deepEqual(await seen(DEMO_ADMIN), [...s.state.orgs.keys()].sort());
    assert.deepEqual(
      await seen(DEMO_ADA),
      [def.id, org0.id].sort(),
      "a unit member does not see the unit's organisation",
    );
    assert.deepEqual(await seen(DEMO_CHEN), [def.id, org0.id].sort());
    assert.deepEqual(await seen(DEMO_GRACE), [def.id, org1.id, org2.id].sort());
    assert.deepEqual(await seen(DEMO_OSCAR), [def.id]);
    assert.deepEqual(await seen(DEMO_EVE), [def.id]);
    const named = await s.call(DEMO_ADMIN, `/organisation?name=${encodeURIComponent(org0.name)}`);
    assert.deepEqual(named.body.organisations.map((o: { id: string }) => o.id), [org0.id]);
    const org = (await s.call(DEMO_ADA, `/organisation/${org0.id}`)).body;
    assert.equal(org.caller_is_member, true);
    assert.equal(org.owner_id, DEMO_ADA);
    assert.deepEqual(org.users, [{ id: DEMO_CHEN }], "the owner is a member without being listed");
    const names = (await s.call(DEMO_ADMIN, "/organisation")).body.organisations.map((
      o: { name: string },
    ) => o.name);
    assert.ok(names.some((n: string) => n.startsWith("=")), "a name starts with =");
    assert.ok(
      names.some((n: string) => n.includes('"') && /[^ -~]/.test(n)),
      "quotes and non-ASCII",
    );
    assert.ok(names.some((n: string) => n.includes(",")), "a comma");
  });
});

Deno.test("organisations: GET by id for admin, owner, member, unit-only member, outsider, no token", async () => {
  await withServer(async (s) => {
    const { org0, org1, def } = demoOrgs(s);
    const cases: [string | null, string, number][] = [
      [DEMO_ADMIN, org0.id, 200],
      [DEMO_ADA, org0.id, 200],
      [DEMO_CHEN, org0.id, 200],
      [DEMO_ADA, org1.id, 403],
      [DEMO_OSCAR, org0.id, 403],
      [null, org0.id, 401],
      [DEMO_OSCAR, def.id, 200],
      [DEMO_ADMIN, "org-00000000-0000-4000-8000-000000000000", 404],
    ];
    for (const [user, id, status] of cases) {
      const r = await s.call(user, `/organisation/${id}`);
      assert.equal(r.status, status, `${user} ${id}`);
      if (status === 200) checkOrgDetail(r.body, true);
      if (status === 403 || status === 404) assert.match(r.body.error, /^[A-Z].*[^.]$/);
    }
  });
});

Deno.test("organisations: the Default organisation", async () => {
  await withServer(async (s) => {
    const { def } = demoOrgs(s);
    for (
      const [user, member] of [[DEMO_ADMIN, true], [DEMO_OSCAR, false], [DEMO_EVE, false]] as const
    ) {
      const r = await s.call(user, "/default/organisation");
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body).sort(), [
        "caller_is_member",
        "created",
        "default_product_privacy",
        "id",
        "name",
        "private",
      ]);
      assert.equal(r.body.id, def.id);
      assert.equal(r.body.name, "Default");
      assert.equal(r.body.private, false);
      assert.equal(r.body.caller_is_member, member);
    }
    assert.equal((await s.call(null, "/default/organisation")).status, 401);
  });
});

Deno.test("organisations: create and delete need admin; names and owners are validated", async () => {
  await withServer(async (s) => {
    const { org0, def } = demoOrgs(s);
    const post = (user: string | null, json: unknown) =>
      s.call(user, "/organisation", { method: "POST", json });
    assert.equal((await post(DEMO_ADA, { name: "Ada's own", owner: DEMO_ADA })).status, 403);
    assert.equal((await post(null, { name: "x", owner: DEMO_ADA })).status, 401);
    for (
      const body of [
        { owner: DEMO_ADA },
        { name: "x".repeat(81), owner: DEMO_ADA },
        { name: "No owner" },
        { name: "Bad owner", owner: "a b" },
        { name: org0.name, owner: DEMO_ADA },
        { name: "Bad privacy", owner: DEMO_ADA, default_product_privacy: "SOMETIMES" },
      ]
    ) {
      const r = await post(DEMO_ADMIN, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof r.body.error, "string");
    }
    assert.equal(
      (await s.call(DEMO_ADMIN, "/organisation", { method: "POST", raw: "{not json" })).status,
      400,
    );
    const created = await post(DEMO_ADMIN, {
      name: 'Ünïcode, "new" org',
      owner: DEMO_OSCAR,
      default_product_privacy: "ALWAYS_PRIVATE",
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body), ["id"]);
    assert.match(created.body.id, ORG_ID);
    const seen = (await s.call(DEMO_OSCAR, `/organisation/${created.body.id}`)).body;
    assert.equal(seen.owner_id, DEMO_OSCAR);
    assert.equal(seen.caller_is_member, true);
    assert.equal(seen.default_product_privacy, "ALWAYS_PRIVATE");
    assert.equal(
      (await s.call(DEMO_OSCAR, `/organisation/${created.body.id}`, { method: "DELETE" })).status,
      403,
    );
    const hasUnits = await s.call(DEMO_ADMIN, `/organisation/${org0.id}`, { method: "DELETE" });
    assert.equal(hasUnits.status, 400);
    assert.match(hasUnits.body.error, /unit/);
    assert.equal(
      (await s.call(DEMO_ADMIN, `/organisation/${def.id}`, { method: "DELETE" })).status,
      400,
    );
    const del = await s.call(DEMO_ADMIN, `/organisation/${created.body.id}`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    assert.equal((await s.call(DEMO_ADMIN, `/organisation/${created.body.id}`)).status, 404);
    assert.equal(
      (await s.call(DEMO_ADMIN, `/organisation/${created.body.id}`, { method: "DELETE" })).status,
      404,
    );
  });
});

Deno.test("organisations: patch by owner or member answers 200 without a body", async () => {
  await withServer(async (s) => {
    const { org0, def } = demoOrgs(s);
    const patch = (user: string, id: string, json: unknown) =>
      s.call(user, `/organisation/${id}`, { method: "PATCH", json });
    const ok = await patch(DEMO_CHEN, org0.id, {
      name: "Acme, renamed",
      default_product_privacy: "DEFAULT_PUBLIC",
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, "");
    const after = (await s.call(DEMO_ADA, `/organisation/${org0.id}`)).body;
    assert.equal(after.name, "Acme, renamed");
    assert.equal(after.default_product_privacy, "DEFAULT_PUBLIC");
    assert.equal((await patch(DEMO_OSCAR, org0.id, { name: "Mine" })).status, 403);
    assert.equal((await patch(DEMO_ADA, org0.id, { name: "" })).status, 400);
    assert.equal((await patch(DEMO_ADA, org0.id, { name: "y".repeat(81) })).status, 400);
    assert.equal((await patch(DEMO_ADMIN, def.id, { name: "Not default" })).status, 400);
    assert.equal(
      (await patch(DEMO_ADMIN, "org-00000000-0000-4000-8000-000000000000", { name: "x" })).status,
      404,
    );
  });
});

Deno.test("organisations: users are listed, added (201, then 200 no-op) and removed", async () => {
  await withServer(async (s) => {
    const { org0 } = demoOrgs(s);
    const list = await s.call(DEMO_ADA, `/organisation/${org0.id}/user`);
    assert.equal(list.status, 200);
    assert.deepEqual(Object.keys(list.body).sort(), ["count", "organisation", "users"]);
    checkOrgDetail(list.body.organisation, false);
    assert.deepEqual(list.body.users, [{ id: DEMO_CHEN }]);
    assert.equal(list.body.count, 1);
    assert.equal((await s.call(DEMO_OSCAR, `/organisation/${org0.id}/user`)).status, 403);
    const path = `/organisation/${org0.id}/user/${DEMO_OSCAR}`;
    assert.equal(
      (await s.call(DEMO_OSCAR, path, { method: "PUT" })).status,
      403,
      "outsiders cannot add themselves",
    );
    const added = await s.call(DEMO_ADA, path, { method: "PUT" });
    assert.equal(added.status, 201);
    assert.equal(added.text, "");
    assert.equal(
      (await s.call(DEMO_ADA, path, { method: "PUT" })).status,
      200,
      "adding a member again is a no-op",
    );
    assert.equal(
      (await s.call(DEMO_ADA, `/organisation/${org0.id}/user/${DEMO_ADA}`, { method: "PUT" }))
        .status,
      200,
    );
    assert.equal(
      (await s.call(DEMO_OSCAR, `/organisation/${org0.id}`)).body.caller_is_member,
      true,
    );
    assert.equal((await s.call(DEMO_OSCAR, `/charges/organisation/${org0.id}`)).status, 200);
    assert.equal(
      (await s.call(DEMO_ADA, `/organisation/${org0.id}/user/not%20valid`, { method: "PUT" }))
        .status,
      400,
    );
    assert.equal(
      (await s.call(DEMO_ADA, `/organisation/${org0.id}/user/${DEMO_ADA}`, { method: "DELETE" }))
        .status,
      400,
    );
    const removed = await s.call(DEMO_ADMIN, path, { method: "DELETE" });
    assert.equal(removed.status, 204);
    assert.equal(removed.text, "");
    assert.equal((await s.call(DEMO_ADMIN, path, { method: "DELETE" })).status, 404);
    assert.equal((await s.call(DEMO_OSCAR, `/organisation/${org0.id}`)).status, 403);
    assert.equal(
      (await s.call(DEMO_ADMIN, `/organisation/${s.state.defaultOrg().id}/user/${DEMO_OSCAR}`, {
        method: "PUT",
      })).status,
      400,
    );
  });
});
