import assert from "node:assert/strict";
import { failed, ok, withSandbox } from "./fixtures/client_e2e_helpers.ts";

Deno.test("e2e products: create, read, alter, list, delete", async () => {
  await withSandbox(async ({ api, admin, user }) => {
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Prod Org", orgOwner: "ada.lovelace" }),
    );
    const unit = ok(
      await api.createUnit(user, { unitName: "Prod unit", orgId: org.id, billingDay: 5 }),
    );
    const storage = ok(
      await api.createProduct(user, {
        productName: "Storage",
        unitId: unit.id,
        productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
        allowance: 100,
        limit: 200,
      }),
    );
    const tier = ok(
      await api.createProduct(user, {
        productName: "Tier",
        unitId: unit.id,
        productType: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
        flavour: "BRONZE",
      }),
    );
    assert.match(storage.id, /^product-/);

    const got = ok(await api.getProduct(user, { productId: storage.id }));
    assert.equal(got.product.product.id, storage.id);
    assert.equal(got.product.coins.allowance, 100);
    assert.equal(got.product.unit.id, unit.id);

    const forUnit = ok(await api.getProductsForUnit(user, { unitId: unit.id }));
    assert.deepEqual(
      forUnit.products.map((p) => p.product.id).sort(),
      [storage.id, tier.id].sort(),
    );
    const forOrg = ok(await api.getProductsForOrganisation(user, { orgId: org.id }));
    assert.equal(forOrg.count, 2);
    const mine = ok(await api.getAvailableProducts(user));
    assert.ok(mine.products.some((p) => p.product.id === tier.id));

    assert.deepEqual(
      ok(
        await api.alterProduct(user, {
          productId: storage.id,
          productName: "Bigger",
          allowance: 150,
          limit: 300,
        }),
      ),
      {},
    );
    const altered = ok(await api.getProduct(user, { productId: storage.id }));
    assert.equal(altered.product.product.name, "Bigger");
    assert.equal(altered.product.coins.allowance, 150);

    assert.deepEqual(ok(await api.deleteProduct(user, { productId: storage.id })), {});
    failed(await api.getProduct(user, { productId: storage.id }), 404, "deleted product");
  });
});

Deno.test("e2e products: types and default storage cost", async () => {
  await withSandbox(async ({ api, user }) => {
    const types = ok(await api.getProductTypes(user));
    assert.ok(types.product_types.some((t) => t.type === "DATA_MANAGER_STORAGE_SUBSCRIPTION"));
    const cost = ok(await api.getProductDefaultStorageCost(user));
    assert.equal(typeof cost.default_storage_cost.cost, "string");
    assert.equal((await api.getProductTypes("bogus")).httpStatusCode, 401);
    assert.equal((await api.getProductDefaultStorageCost("bogus")).httpStatusCode, 401);
  });
});

Deno.test("e2e products: the failures users meet", async () => {
  await withSandbox(async ({ api, admin, user, outsider }) => {
    const org = ok(
      await api.createOrganisation(admin, { orgName: "P Fail", orgOwner: "ada.lovelace" }),
    );
    const unit = ok(await api.createUnit(user, { unitName: "U", orgId: org.id, billingDay: 5 }));
    const p = ok(
      await api.createProduct(user, {
        productName: "S",
        unitId: unit.id,
        productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
        allowance: 100,
      }),
    );
    const missing = "product-00000000-0000-4000-8000-000000000000";
    failed(await api.getProduct(outsider, { productId: p.id }), 403, "outsider reads product");
    failed(await api.getProduct(user, { productId: missing }), 404, "unknown product");
    failed(
      await api.getProductsForUnit(outsider, { unitId: unit.id }),
      403,
      "outsider lists unit products",
    );
    failed(
      await api.getProductsForOrganisation(outsider, { orgId: org.id }),
      403,
      "outsider lists org products",
    );
    // Storage subscriptions need an allowance; project tiers need a flavour.
    failed(
      await api.createProduct(user, {
        productName: "N",
        unitId: unit.id,
        productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
      }),
      400,
      "storage without allowance",
    );
    failed(
      await api.createProduct(outsider, {
        productName: "N",
        unitId: unit.id,
        productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
        allowance: 5,
      }),
      403,
      "outsider creates product",
    );
    failed(
      await api.alterProduct(user, { productId: p.id, allowance: 10 }),
      400,
      "allowance reduced",
    );
    failed(
      await api.alterProduct(outsider, { productId: p.id, productName: "X" }),
      403,
      "outsider alters",
    );
    failed(await api.deleteProduct(outsider, { productId: p.id }), 403, "outsider deletes");
    failed(await api.deleteProduct(user, { productId: missing }), 404, "delete unknown");
    assert.equal((await api.getAvailableProducts("bogus")).httpStatusCode, 401);
  });
});
