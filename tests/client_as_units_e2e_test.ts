import assert from "node:assert/strict";
import { failed, ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

Deno.test("e2e units: create, read, alter, users, delete", async () => {
  await withSandbox(async ({ api, admin, user }) => {
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Unit Org", orgOwner: "ada.lovelace" }),
    );
    const { id } = ok(
      await api.createUnit(user, { unitName: "Lab A", orgId: org.id, billingDay: 7 }),
    );
    assert.match(id, /^unit-/);

    const unit = ok(await api.getUnit(user, { unitId: id }));
    assert.equal(unit.name, "Lab A");
    assert.equal(unit.billing_day, 7);

    const inOrg = ok(await api.getOrganisationUnits(user, { orgId: org.id }));
    assert.deepEqual(inOrg.units.map((u) => u.id), [id]);
    const all = ok(await api.getAvailableUnits(user));
    assert.ok(all.units.some((g) => g.units.some((u) => u.id === id)));
    const named = ok(await api.getUnits(user, { unitName: "Lab A" }));
    assert.ok(named.units.flatMap((g) => g.units).every((u) => u.name === "Lab A"));
    assert.ok(named.units.flatMap((g) => g.units).some((u) => u.id === id));

    assert.deepEqual(ok(await api.alterUnit(user, { unitId: id, name: "Lab B" })), {});
    assert.equal(ok(await api.getUnit(user, { unitId: id })).name, "Lab B");

    assert.deepEqual(ok(await api.addUserToUnit(user, { unitId: id, username: "chen.wei" })), {});
    assert.ok(
      ok(await api.getUnitUsers(user, { unitId: id })).users.some((u) => u.id === "chen.wei"),
    );
    assert.deepEqual(
      ok(await api.removeUserFromUnit(user, { unitId: id, username: "chen.wei" })),
      {},
    );
    assert.ok(
      !ok(await api.getUnitUsers(user, { unitId: id })).users.some((u) => u.id === "chen.wei"),
    );

    assert.deepEqual(ok(await api.deleteUnit(user, { unitId: id })), {});
    failed(await api.getUnit(user, { unitId: id }), 404, "deleted unit");
  });
});

Deno.test("e2e units: the failures users meet", async () => {
  await withSandbox(async ({ api, admin, user, outsider }) => {
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Locked", orgOwner: "ada.lovelace" }),
    );
    const { id } = ok(
      await api.createUnit(user, { unitName: "Secret lab", orgId: org.id, billingDay: 1 }),
    );
    const missing = "unit-00000000-0000-4000-8000-000000000000";

    failed(await api.getUnit(outsider, { unitId: id }), 403, "outsider reads unit");
    failed(await api.getAvailableUnits("bogus-token"), 401, "units with a bad token");
    failed(
      await api.getUnits("bogus-token", { unitName: "Secret lab" }),
      401,
      "units by name, bad token",
    );
    failed(await api.getUnit(user, { unitId: missing }), 404, "unknown unit");
    failed(
      await api.getOrganisationUnits(outsider, { orgId: org.id }),
      403,
      "outsider lists units",
    );
    failed(
      await api.createUnit(outsider, { unitName: "Intruder", orgId: org.id, billingDay: 2 }),
      403,
      "outsider creates unit",
    );
    failed(await api.alterUnit(outsider, { unitId: id, name: "X" }), 403, "outsider alters unit");
    failed(await api.deleteUnit(outsider, { unitId: id }), 403, "outsider deletes unit");
    failed(await api.getUnitUsers(outsider, { unitId: id }), 403, "outsider lists unit users");
    failed(
      await api.addUserToUnit(outsider, { unitId: id, username: "chen.wei" }),
      403,
      "outsider adds",
    );
    failed(
      await api.removeUserFromUnit(user, { unitId: missing, username: "chen.wei" }),
      404,
      "remove",
    );
    // A unit with products cannot be deleted.
    ok(
      await api.createProduct(user, {
        productName: "keeps the unit",
        unitId: id,
        productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
        allowance: 10,
      }),
    );
    failed(await api.deleteUnit(user, { unitId: id }), 400, "delete unit with products");
  });
});

Deno.test("e2e units: personal units", async () => {
  await withSandbox(async ({ api, outsider }) => {
    // Start from no personal unit, whatever the demo data holds for this user.
    const before = await api.getPersonalUnit(outsider);
    if (before.success) ok(await api.deletePersonalUnit(outsider));
    failed(await api.getPersonalUnit(outsider), 404, "no personal unit");
    failed(await api.deletePersonalUnit(outsider), 404, "delete missing personal unit");

    const created = ok(await api.createPersonalUnit(outsider, { billingDay: 12 }));
    assert.match(created.id, /^unit-/);
    const unit = ok(await api.getPersonalUnit(outsider));
    assert.equal(unit.id, created.id);
    assert.equal(unit.billing_day, 12);
    const def = ok(await api.getDefaultOrganisation(outsider));
    assert.equal(created.organisation_id, def.id);
    const twice = await api.createPersonalUnit(outsider, { billingDay: 12 });
    assert.equal(twice.success, false, "one personal unit per user");
    assert.ok([400, 409].includes(twice.httpStatusCode));
    assert.deepEqual(ok(await api.deletePersonalUnit(outsider)), {});
  });
});
