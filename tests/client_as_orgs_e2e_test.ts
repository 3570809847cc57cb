import assert from "node:assert/strict";
import { failed, ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

Deno.test("e2e organisations: create, read, alter, users, delete", async () => {
  await withSandbox(async ({ api, admin, user }) => {
    const { id } = ok(
      await api.createOrganisation(admin, { orgName: "E2E Org", orgOwner: "ada.lovelace" }),
    );
    assert.match(id, /^org-/);

    const list = ok(await api.getOrganisations(admin));
    assert.ok(list.organisations.some((o) => o.id === id));
    const named = ok(await api.getOrganisations(admin, { orgName: "E2E Org" }));
    assert.deepEqual(named.organisations.map((o) => o.id), [id]);

    const org = ok(await api.getOrganisation(user, { orgId: id }));
    assert.equal(org.name, "E2E Org");
    assert.equal(org.owner_id, "ada.lovelace");

    assert.deepEqual(
      ok(
        await api.alterOrganisation(user, {
          orgId: id,
          name: "E2E Org 2",
          defaultProductPrivacy: "ALWAYS_PRIVATE",
        }),
      ),
      {},
    );
    const altered = ok(await api.getOrganisation(admin, { orgId: id }));
    assert.equal(altered.name, "E2E Org 2");
    assert.equal(altered.default_product_privacy, "ALWAYS_PRIVATE");

    assert.deepEqual(
      ok(await api.addUserToOrganisation(user, { orgId: id, username: "grace_hopper" })),
      {},
    );
    const users = ok(await api.getOrganisationUsers(admin, { orgId: id }));
    assert.ok(users.users.some((u) => u.id === "grace_hopper"));
    assert.deepEqual(
      ok(await api.removeUserFromOrganisation(user, { orgId: id, username: "grace_hopper" })),
      {},
    );
    const after = ok(await api.getOrganisationUsers(admin, { orgId: id }));
    assert.ok(!after.users.some((u) => u.id === "grace_hopper"));

    assert.deepEqual(ok(await api.deleteOrganisation(admin, { orgId: id })), {});
    failed(await api.getOrganisation(admin, { orgId: id }), 404, "deleted organisation");
  });
});

Deno.test("e2e organisations: the failures users meet", async () => {
  await withSandbox(async ({ api, admin, user, outsider }) => {
    const { id } = ok(
      await api.createOrganisation(admin, { orgName: "Closed", orgOwner: "ada.lovelace" }),
    );
    const missing = "org-00000000-0000-4000-8000-000000000000";

    failed(
      await api.createOrganisation(user, { orgName: "Mine", orgOwner: "ada.lovelace" }),
      403,
      "create as user",
    );
    const dup = failed(
      await api.createOrganisation(admin, { orgName: "Closed", orgOwner: "ada.lovelace" }),
      400,
      "duplicate name",
    );
    assert.ok(dup.length > 0);
    failed(await api.getOrganisation(outsider, { orgId: id }), 403, "outsider reads org");
    failed(await api.getOrganisation(admin, { orgId: missing }), 404, "unknown org");
    failed(
      await api.alterOrganisation(outsider, { orgId: id, name: "X" }),
      403,
      "outsider alters org",
    );
    failed(await api.deleteOrganisation(user, { orgId: id }), 403, "user deletes org");
    failed(await api.deleteOrganisation(admin, { orgId: missing }), 404, "delete unknown org");
    failed(await api.getOrganisationUsers(outsider, { orgId: id }), 403, "outsider lists users");
    failed(
      await api.addUserToOrganisation(outsider, { orgId: id, username: "chen.wei" }),
      403,
      "outsider adds user",
    );
    failed(
      await api.removeUserFromOrganisation(user, { orgId: missing, username: "chen.wei" }),
      404,
      "remove from unknown org",
    );
  });
});

Deno.test("e2e organisations: the Default organisation", async () => {
  await withSandbox(async ({ api, user }) => {
    const def = ok(await api.getDefaultOrganisation(user));
    assert.equal(def.name, "Default");
    failed(await api.getOrganisations("expired-or-bogus"), 401, "organisations with a bad token");
    const bad = await api.getDefaultOrganisation("expired-or-bogus");
    assert.equal(bad.httpStatusCode, 401);
  });
});
