import assert from "node:assert/strict";
import { failed, ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

Deno.test("e2e assets: create, read, alter, enable, attach, detach, disable, delete", async () => {
  await withSandbox(async ({ api, admin, user }) => {
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Asset Org", orgOwner: "ada.lovelace" }),
    );
    const unit = ok(
      await api.createUnit(user, { unitName: "Asset unit", orgId: org.id, billingDay: 3 }),
    );
    const { id } = ok(
      await api.createAsset(user, {
        name: "api-key-1",
        scope: "UNIT",
        scopeId: unit.id,
        contentString: "first",
        description: "a key",
        isSecret: false,
      }),
    );
    const fromBytes = ok(
      await api.createAsset(user, {
        name: "from-bytes",
        scope: "USER",
        contentFile: new TextEncoder().encode("bytes content"),
      }),
    );

    const asset = ok(await api.getAsset(user, { assetId: id }));
    assert.equal(asset.name, "api-key-1");
    assert.equal(asset.scope, "UNIT");
    assert.equal(asset.content, "first");
    assert.equal(ok(await api.getAsset(user, { assetId: fromBytes.id })).content, "bytes content");

    const inUnit = ok(await api.getAvailableAssets(user, { scopeId: unit.id }));
    assert.deepEqual(inUnit.assets.map((a) => a.id), [id]);
    const mine = ok(await api.getAvailableAssets(user, { scopeId: "ada.lovelace" }));
    assert.ok(mine.assets.some((a) => a.id === fromBytes.id));
    assert.ok(ok(await api.getAvailableAssets(user)).count >= 2);

    assert.deepEqual(
      ok(
        await api.alterAsset(user, {
          assetId: id,
          contentFile: new Blob(["second"]),
          description: "new",
        }),
      ),
      {},
    );
    const altered = ok(await api.getAsset(user, { assetId: id }));
    assert.equal(altered.content, "second");
    assert.equal(altered.description, "new");

    const merchant = ok(await api.getMerchants(user)).merchants[0];
    assert.deepEqual(ok(await api.enableAsset(user, { assetId: id })), {});
    assert.deepEqual(ok(await api.attachAsset(user, { assetId: id, mId: merchant.id })), {});
    assert.ok(
      ok(await api.getAsset(user, { assetId: id })).merchants.some((m) => m.id === merchant.id),
    );
    assert.deepEqual(ok(await api.detachAsset(user, { assetId: id, mId: merchant.id })), {});
    assert.deepEqual(ok(await api.disableAsset(user, { assetId: id })), {});
    assert.equal(ok(await api.getAsset(user, { assetId: id })).disabled, true);
    assert.deepEqual(ok(await api.deleteAsset(user, { assetId: id })), {});
    failed(await api.getAsset(user, { assetId: id }), 404, "deleted asset");
  });
});

Deno.test("e2e assets: the failures users meet", async () => {
  await withSandbox(async ({ api, admin, user, outsider }) => {
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Asset Fail", orgOwner: "ada.lovelace" }),
    );
    const unit = ok(await api.createUnit(user, { unitName: "U", orgId: org.id, billingDay: 3 }));
    const { id } = ok(
      await api.createAsset(user, {
        name: "guarded",
        scope: "UNIT",
        scopeId: unit.id,
        contentString: "c",
      }),
    );
    const missing = "asset-00000000-0000-4000-8000-000000000000";
    failed(
      await api.createAsset(user, {
        name: "Not A Valid Name!",
        scope: "GLOBAL",
        contentString: "x",
      }),
      400,
      "bad asset name",
    );
    failed(
      await api.createAsset(user, {
        name: "guarded",
        scope: "UNIT",
        scopeId: unit.id,
        contentString: "c",
      }),
      400,
      "duplicate name in scope",
    );
    failed(
      await api.createAsset(outsider, {
        name: "sneaky",
        scope: "UNIT",
        scopeId: unit.id,
        contentString: "c",
      }),
      403,
      "outsider creates in unit",
    );
    failed(await api.getAsset(user, { assetId: missing }), 404, "unknown asset");
    failed(
      await api.alterAsset(outsider, { assetId: id, contentString: "x" }),
      403,
      "outsider alters",
    );
    failed(
      await api.alterAsset(user, { assetId: missing, contentString: "x" }),
      404,
      "alter unknown",
    );
    failed(await api.enableAsset(user, { assetId: missing }), 404, "enable unknown");
    failed(await api.disableAsset(outsider, { assetId: id }), 403, "outsider disables");
    failed(
      await api.attachAsset(user, { assetId: id, mId: 99999 }),
      404,
      "attach unknown merchant",
    );
    failed(await api.detachAsset(user, { assetId: missing, mId: 1 }), 404, "detach unknown asset");
    failed(await api.deleteAsset(outsider, { assetId: id }), 403, "outsider deletes");
    assert.equal((await api.getAvailableAssets("bogus")).httpStatusCode, 401);
  });
});
