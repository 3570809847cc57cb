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

const UNIT_ID = /^unit-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function withServer(fn: (s: TestAsServer) => Promise<void>): Promise<void> {
  return withTestAsServer({ seed: 1, now: "2026-03-01T10:00:00Z" }, fn);
}

function demo(s: TestAsServer) {
  const [org0, org1] = [...s.state.orgs.values()].filter((o) => !o.isDefault);
  return { org0, org1, units0: s.state.unitsOf(org0.id), units1: s.state.unitsOf(org1.id) };
}

// deno-lint-ignore no-explicit-any
function checkUnit(u: any, withUsers = true) {
  assert.deepEqual(
    Object.keys(u).sort(),
    [
      "billing_day",
      "caller_is_member",
      "created",
      "default_product_privacy",
      "id",
      "name",
      "owner_id",
      "private",
      ...(withUsers ? ["users"] : []),
    ].sort(),
  );
  assert.equal(typeof u.caller_is_member, "boolean");
  assert.match(u.id, UNIT_ID);
  assert.equal(typeof u.name, "string");
  assert.equal(typeof u.owner_id, "string");
  assert.equal(typeof u.private, "boolean");
  assert.match(u.created, ISO);
  assert.ok(Number.isInteger(u.billing_day) && u.billing_day >= 1 && u.billing_day <= 28);
}

Deno.test("units: GET /unit groups visible units per organisation", async () => {
  await withServer(async (s) => {
    const { org0, org1, units1 } = demo(s);
    const addChen = await s.call(DEMO_GRACE, `/organisation/${org1.id}/user/${DEMO_CHEN}`, {
      method: "PUT",
    });
    assert.equal(addChen.status, 201);
    const r = await s.call(DEMO_ADA, "/unit");
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ["units"]);
    const groups = new Map<string, string[]>();
    for (const g of r.body.units) {
      assert.deepEqual(Object.keys(g).sort(), ["count", "organisation", "units"]);
      assert.equal(g.count, g.units.length);
      for (const u of g.units) checkUnit(u);
      groups.set(g.organisation.id, g.units.map((u: { id: string }) => u.id));
    }
    assert.deepEqual(groups.get(s.state.defaultOrg().id), [s.state.personalUnitOf(DEMO_ADA)!.id]);
    assert.equal(groups.get(org0.id)!.length, s.state.unitsOf(org0.id).length);
    assert.deepEqual(groups.get(org1.id), [units1[0].id], "only the unit Ada belongs to");
    const org1Group = r.body.units.find((g: { organisation: { id: string } }) =>
      g.organisation.id === org1.id
    );
    assert.equal(org1Group.organisation.caller_is_member, false);
    assert.deepEqual(
      org1Group.organisation.users,
      [],
      "no member list of an organisation Ada may not see",
    );
    const oscar = await s.call(DEMO_OSCAR, "/unit");
    assert.deepEqual(oscar.body, { units: [] });
    const grace = (await s.call(DEMO_GRACE, "/unit")).body.units;
    const graceOrg1 = grace.find((g: { organisation: { id: string } }) =>
      g.organisation.id === org1.id
    );
    assert.deepEqual(
      graceOrg1.organisation.users,
      [{ id: DEMO_CHEN }],
      "members see the member list",
    );
    const admin = await s.call(DEMO_ADMIN, "/unit");
    const total = admin.body.units.reduce((n: number, g: { count: number }) => n + g.count, 0);
    assert.equal(total, s.state.units.size);
    const days = new Set(
      admin.body.units.flatMap((g: { units: { billing_day: number }[] }) =>
        g.units.map((u) => u.billing_day)
      ),
    );
    for (const day of [1, 28]) assert.ok(days.has(day), `a unit bills on day ${day}`);
    assert.ok(days.size >= 8, "units bill on many different days");
    const named = await s.call(DEMO_ADMIN, `/unit?name=${encodeURIComponent(units1[0].name)}`);
    assert.equal(named.body.units.length, 1);
    assert.equal(named.body.units[0].units[0].id, units1[0].id);
  });
});

Deno.test("units: GET by id and per organisation, with the permission matrix", async () => {
  await withServer(async (s) => {
    const { org0, org1, units0, units1 } = demo(s);
    const cases: [string | null, string, number][] = [
      [DEMO_ADMIN, `/unit/${units1[1].id}`, 200],
      [DEMO_ADA, `/unit/${units1[0].id}`, 200],
      [DEMO_ADA, `/unit/${units1[1].id}`, 403],
      [DEMO_GRACE, `/unit/${units1[0].id}`, 200],
      [DEMO_CHEN, `/unit/${units0[2].id}`, 200],
      [DEMO_OSCAR, `/unit/${units0[0].id}`, 403],
      [null, `/unit/${units0[0].id}`, 401],
      [DEMO_ADMIN, "/unit/unit-00000000-0000-4000-8000-000000000000", 404],
      [DEMO_ADA, `/organisation/${org0.id}/unit`, 200],
      [DEMO_ADA, `/organisation/${org1.id}/unit`, 403],
      [DEMO_OSCAR, `/organisation/${org0.id}/unit`, 403],
      [DEMO_ADMIN, "/organisation/org-00000000-0000-4000-8000-000000000000/unit", 404],
    ];
    for (const [user, path, status] of cases) {
      const r = await s.call(user, path);
      assert.equal(r.status, status, `${user} ${path}`);
      if (status === 200 && path.startsWith("/unit/")) checkUnit(r.body);
    }
    const mine = (await s.call(DEMO_ADA, `/unit/${units1[0].id}`)).body;
    assert.equal(mine.caller_is_member, true);
    assert.deepEqual(mine.users, [{ id: DEMO_ADA }]);
    const byOrg = (await s.call(DEMO_ADA, `/organisation/${org0.id}/unit`)).body;
    assert.equal(byOrg.count, units0.length);
    assert.equal(byOrg.organisation.id, org0.id);
    for (const u of byOrg.units) checkUnit(u);
  });
});

Deno.test("units: create in an organisation, validated, creator owns it", async () => {
  await withServer(async (s) => {
    const { org0, units0 } = demo(s);
    const post = (user: string | null, orgId: string, json: unknown) =>
      s.call(user, `/organisation/${orgId}/unit`, { method: "POST", json });
    for (const billing_day of [0, 29, 31, -1, 1.5, "5", null]) {
      const r = await post(DEMO_CHEN, org0.id, { name: "Bad day", billing_day });
      assert.equal(r.status, 400, `billing_day ${billing_day}`);
      assert.match(r.body.error, /billing_day/);
    }
    assert.equal(
      (await post(DEMO_CHEN, org0.id, { name: "z".repeat(81), billing_day: 3 })).status,
      400,
    );
    assert.equal(
      (await post(DEMO_CHEN, org0.id, { name: units0[0].name, billing_day: 3 })).status,
      400,
    );
    assert.equal((await post(DEMO_CHEN, org0.id, { billing_day: 3 })).status, 400);
    assert.equal(
      (await post(DEMO_OSCAR, org0.id, { name: "Intruders", billing_day: 3 })).status,
      403,
    );
    assert.equal((await post(null, org0.id, { name: "Anon", billing_day: 3 })).status, 401);
    assert.equal(
      (await post(DEMO_ADMIN, s.state.defaultOrg().id, { name: "P", billing_day: 3 })).status,
      400,
    );
    assert.equal(
      (await post(DEMO_ADMIN, "org-00000000-0000-4000-8000-000000000000", {
        name: "P",
        billing_day: 3,
      })).status,
      404,
    );
    const created = await post(DEMO_CHEN, org0.id, { name: 'Ærø, "new" unit', billing_day: 28 });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body), ["id"]);
    const unit = (await s.call(DEMO_CHEN, `/unit/${created.body.id}`)).body;
    checkUnit(unit);
    assert.equal(unit.owner_id, DEMO_CHEN);
    assert.equal(unit.caller_is_member, true);
    assert.deepEqual(unit.users, [], "the owner is not listed");
    assert.equal(unit.billing_day, 28);
    const charges = (await s.call(DEMO_CHEN, `/charges/unit/${created.body.id}`)).body;
    assert.deepEqual([charges.coins, charges.count, charges.products], ["0.0000", 0, []]);
    assert.deepEqual([charges.from, charges.until], ["2026-02-28", "2026-03-28"]);
  });
});

Deno.test("units: patch, delete (not with products, not personal) and users", async () => {
  await withServer(async (s) => {
    const { org0, units0 } = demo(s);
    const patched = await s.call(DEMO_CHEN, `/unit/${units0[0].id}`, {
      method: "PATCH",
      json: { name: "Renamed, ok", default_product_privacy: "ALWAYS_PRIVATE" },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.text, "");
    const after = (await s.call(DEMO_ADA, `/unit/${units0[0].id}`)).body;
    assert.equal(after.name, "Renamed, ok");
    assert.equal(after.default_product_privacy, "ALWAYS_PRIVATE");
    assert.equal(
      (await s.call(DEMO_OSCAR, `/unit/${units0[0].id}`, { method: "PATCH", json: { name: "x" } }))
        .status,
      403,
    );
    assert.equal(
      (await s.call(DEMO_ADA, `/unit/${units0[0].id}`, {
        method: "PATCH",
        json: { default_product_privacy: 3 },
      })).status,
      400,
    );
    const withProducts = await s.call(DEMO_ADA, `/unit/${units0[0].id}`, { method: "DELETE" });
    assert.equal(withProducts.status, 400);
    assert.match(withProducts.body.error, /product/);
    const personal = s.state.personalUnitOf(DEMO_ADA)!;
    assert.equal(
      (await s.call(DEMO_ADA, `/unit/${personal.id}`, { method: "DELETE" })).status,
      400,
    );
    const created = (await s.call(DEMO_ADA, `/organisation/${org0.id}/unit`, {
      method: "POST",
      json: { name: "Short-lived", billing_day: 1 },
    })).body;
    assert.equal(
      (await s.call(DEMO_OSCAR, `/unit/${created.id}`, { method: "DELETE" })).status,
      403,
    );
    const del = await s.call(DEMO_ADA, `/unit/${created.id}`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    assert.equal((await s.call(DEMO_ADA, `/unit/${created.id}`)).status, 404);

    const unit = units0[1];
    const list = await s.call(DEMO_ADA, `/unit/${unit.id}/user`);
    assert.deepEqual(Object.keys(list.body).sort(), ["count", "unit", "users"]);
    checkUnit(list.body.unit, false);
    const path = `/unit/${unit.id}/user/${DEMO_OSCAR}`;
    assert.equal((await s.call(DEMO_OSCAR, path, { method: "PUT" })).status, 403);
    const added = await s.call(DEMO_ADA, path, { method: "PUT" });
    assert.equal(added.status, 201);
    assert.equal(added.text, "");
    assert.equal((await s.call(DEMO_ADA, path, { method: "PUT" })).status, 200);
    assert.equal((await s.call(DEMO_OSCAR, `/unit/${unit.id}`)).status, 200);
    assert.equal((await s.call(DEMO_OSCAR, `/charges/unit/${unit.id}`)).status, 200);
    assert.equal((await s.call(DEMO_OSCAR, `/product/unit/${unit.id}`)).status, 200);
    assert.equal(
      (await s.call(DEMO_OSCAR, `/organisation/${org0.id}`)).status,
      403,
      "a unit member does not see the organisation",
    );
    assert.equal((await s.call(DEMO_OSCAR, `/unit/${units0[0].id}`)).status, 403);
    assert.equal(
      (await s.call(DEMO_ADA, `/unit/${unit.id}/user/x`, { method: "PUT" })).status,
      400,
    );
    assert.equal(
      (await s.call(DEMO_ADA, `/unit/${unit.id}/user/${DEMO_ADA}`, { method: "DELETE" })).status,
      400,
    );
    assert.equal((await s.call(DEMO_ADA, path, { method: "DELETE" })).status, 204);
    assert.equal((await s.call(DEMO_ADA, path, { method: "DELETE" })).status, 404);
    assert.equal(
      (await s.call(DEMO_ADA, `/unit/${personal.id}/user/${DEMO_OSCAR}`, { method: "PUT" })).status,
      400,
      "no users in personal units",
    );
  });
});

Deno.test("personal units: one per user, in the Default organisation", async () => {
  await withServer(async (s) => {
    const def = s.state.defaultOrg();
    const ada = await s.call(DEMO_ADA, "/personal-unit");
    assert.equal(ada.status, 200);
    checkUnit(ada.body);
    assert.equal(ada.body.owner_id, DEMO_ADA);
    assert.equal(ada.body.billing_day, 28);
    assert.deepEqual(ada.body.users, []);
    assert.equal((await s.call(DEMO_EVE, "/personal-unit")).body.owner_id, DEMO_EVE);
    const none = await s.call(DEMO_OSCAR, "/personal-unit");
    assert.equal(none.status, 404);
    assert.match(none.body.error, /PUT \/personal-unit/);
    assert.equal((await s.call(null, "/personal-unit")).status, 401);
    for (const billing_day of [0, 29, "x"]) {
      assert.equal(
        (await s.call(DEMO_OSCAR, "/personal-unit", { method: "PUT", json: { billing_day } }))
          .status,
        400,
      );
    }
    const made = await s.call(DEMO_OSCAR, "/personal-unit", {
      method: "PUT",
      json: { billing_day: 7 },
    });
    assert.equal(made.status, 201);
    assert.deepEqual(Object.keys(made.body).sort(), ["id", "organisation_id"]);
    assert.equal(made.body.organisation_id, def.id);
    assert.match(made.body.id, UNIT_ID);
    const again = await s.call(DEMO_OSCAR, "/personal-unit", {
      method: "PUT",
      json: { billing_day: 7 },
    });
    assert.equal(again.status, 400);
    assert.ok(again.body.error.includes(made.body.id));
    assert.equal((await s.call(DEMO_OSCAR, "/personal-unit")).body.id, made.body.id);
    assert.equal((await s.call(DEMO_CHEN, `/unit/${made.body.id}`)).status, 403);
    assert.equal(
      (await s.call(DEMO_ADA, "/personal-unit", { method: "DELETE" })).status,
      400,
      "it still has products",
    );
    const del = await s.call(DEMO_OSCAR, "/personal-unit", { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    assert.equal((await s.call(DEMO_OSCAR, "/personal-unit", { method: "DELETE" })).status, 404);
  });
});

Deno.test("personal units: the deprecated PUT /unit and DELETE /unit still work", async () => {
  await withServer(async (s) => {
    const made = await s.call(DEMO_OSCAR, "/unit", { method: "PUT", json: { billing_day: 12 } });
    assert.equal(made.status, 201);
    assert.equal(made.body.organisation_id, s.state.defaultOrg().id);
    assert.equal((await s.call(DEMO_OSCAR, "/personal-unit")).body.billing_day, 12);
    assert.equal((await s.call(DEMO_OSCAR, "/unit", { method: "DELETE" })).status, 204);
    assert.equal((await s.call(DEMO_OSCAR, "/personal-unit")).status, 404);
  });
});
