import assert from "node:assert/strict";
import { type ApiRv, unwrap } from "../client/as/api_rv.ts";
import { type EndpointName, ENDPOINTS } from "../client/as/endpoints.ts";
import { ProtocolError } from "../client/errors.ts";
import { ok, type Sandbox, withSandbox } from "./fixtures/client_e2e_helpers.ts";

/** A demo product with storage items, its unit and organisation (sandbox ground truth). */
function charged(sb: Sandbox) {
  const product = [...sb.state.products.values()].find((p) =>
    p.hasDemoCharges && !sb.state.units.get(p.unitId)?.personal
  );
  assert.ok(product, "a demo product with charges");
  const unit = sb.state.units.get(product.unitId)!;
  return { productId: product.id, unitId: unit.id, orgId: unit.orgId };
}

Deno.test("e2e schema: every endpoint's schema accepts the sandbox's real answers", async () => {
  await withSandbox(async ({ sb, api, admin, user, outsider }) => {
    const seen = new Set<EndpointName>();
    /** Asserts success of one endpoint's call and remembers that it was covered. */
    async function call<T>(name: EndpointName, rv: Promise<ApiRv<T>>): Promise<T> {
      seen.add(name);
      return ok(await rv, name);
    }

    await call("ping", api.ping());
    await call("getVersion", api.getVersion());
    await call("getEventStreamVersion", api.getEventStreamVersion());
    await call("getAccount", api.getAccount(admin));
    const merchants = await call("getMerchants", api.getMerchants(user));
    const merchant = merchants.merchants[0];
    await call("getMerchant", api.getMerchant(user, { merchantId: merchant.id }));
    const stream = await call("createEventStream", api.createEventStream(user));
    await call("getEventStream", api.getEventStream(user));
    await call("deleteEventStream", api.deleteEventStream(user, { eventStreamId: stream.id }));
    await call("getActions", api.getActions(admin, { from: "2026-01-01", until: "2026-11-16" }));

    await call("getOrganisations", api.getOrganisations(admin));
    await call("getDefaultOrganisation", api.getDefaultOrganisation(user));
    const org = await call(
      "createOrganisation",
      api.createOrganisation(admin, { orgName: "Schema Org", orgOwner: "ada.lovelace" }),
    );
    const orgId = org.id;
    await call("getOrganisation", api.getOrganisation(user, { orgId }));
    await call("alterOrganisation", api.alterOrganisation(user, { orgId, name: "Schema Org 2" }));
    const username = "chen.wei";
    await call("addUserToOrganisation", api.addUserToOrganisation(user, { orgId, username }));
    await call("getOrganisationUsers", api.getOrganisationUsers(user, { orgId }));
    await call(
      "removeUserFromOrganisation",
      api.removeUserFromOrganisation(user, { orgId, username }),
    );

    const unit = await call(
      "createUnit",
      api.createUnit(user, { unitName: "Schema unit", orgId, billingDay: 9 }),
    );
    const unitId = unit.id;
    await call("getUnit", api.getUnit(user, { unitId }));
    await call("getUnits", api.getUnits(user, { unitName: "Schema unit" }));
    await call("getAvailableUnits", api.getAvailableUnits(admin));
    await call("getOrganisationUnits", api.getOrganisationUnits(user, { orgId }));
    await call("alterUnit", api.alterUnit(user, { unitId, name: "Schema unit 2" }));
    await call("addUserToUnit", api.addUserToUnit(user, { unitId, username }));
    await call("getUnitUsers", api.getUnitUsers(user, { unitId }));
    await call("removeUserFromUnit", api.removeUserFromUnit(user, { unitId, username }));

    if ((await api.getPersonalUnit(outsider)).success) ok(await api.deletePersonalUnit(outsider));
    await call("createPersonalUnit", api.createPersonalUnit(outsider, { billingDay: 12 }));
    await call("getPersonalUnit", api.getPersonalUnit(outsider));
    await call("deletePersonalUnit", api.deletePersonalUnit(outsider));

    const product = await call(
      "createProduct",
      api.createProduct(user, {
        productName: "Schema store",
        unitId,
        productType: "DATA_MANAGER_STORAGE_SUBSCRIPTION",
        allowance: 100,
      }),
    );
    const productId = product.id;
    await call("getProduct", api.getProduct(user, { productId }));
    await call("alterProduct", api.alterProduct(user, { productId, allowance: 150, limit: 200 }));
    await call("getProductsForUnit", api.getProductsForUnit(user, { unitId }));
    await call("getProductsForOrganisation", api.getProductsForOrganisation(user, { orgId }));
    await call("getProductTypes", api.getProductTypes(user));
    await call("getProductDefaultStorageCost", api.getProductDefaultStorageCost(user));
    const all = await call("getAvailableProducts", api.getAvailableProducts(admin));
    const types = new Set(all.products.map((p) => p.product.type));
    assert.deepEqual(
      [...types].sort(),
      ["DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", "DATA_MANAGER_STORAGE_SUBSCRIPTION"],
      "both product variants were validated",
    );

    const ids = charged(sb);
    const charges = await call(
      "getProductCharges",
      api.getProductCharges(admin, { productId: ids.productId, pbp: -1 }),
    );
    assert.ok(charges.storage_charges.items.length > 0, "storage items were validated");
    await call("getUnitCharges", api.getUnitCharges(admin, { unitId: ids.unitId, pbp: -1 }));
    await call("getOrganisationCharges", api.getOrganisationCharges(admin, { orgId: ids.orgId }));
    await call("getCharges", api.getCharges(admin, { pbp: -1 }));

    const asset = await call(
      "createAsset",
      api.createAsset(user, {
        name: "schema-key",
        scope: "UNIT",
        scopeId: unitId,
        contentString: "first",
      }),
    );
    const assetId = asset.id;
    await call("getAsset", api.getAsset(user, { assetId }));
    await call("getAvailableAssets", api.getAvailableAssets(user, { scopeId: unitId }));
    await call("alterAsset", api.alterAsset(user, { assetId, contentString: "second" }));
    await call("enableAsset", api.enableAsset(user, { assetId }));
    await call("attachAsset", api.attachAsset(user, { assetId, mId: merchant.id }));
    await call("detachAsset", api.detachAsset(user, { assetId, mId: merchant.id }));
    await call("disableAsset", api.disableAsset(user, { assetId }));
    await call("deleteAsset", api.deleteAsset(user, { assetId }));

    await call("deleteProduct", api.deleteProduct(user, { productId }));
    await call("deleteUnit", api.deleteUnit(user, { unitId }));
    await call("deleteOrganisation", api.deleteOrganisation(admin, { orgId }));

    assert.deepEqual([...seen].sort(), Object.keys(ENDPOINTS).sort(), "every endpoint covered");
  });
});

/** The failure of a call expected to end in a ProtocolError; returns its message. */
function protocol<T>(rv: ApiRv<T>, what: string): ProtocolError {
  assert.equal(
    rv.success,
    false,
    `${what} should fail, got ${JSON.stringify(rv.msg).slice(0, 80)}`,
  );
  assert.equal(rv.httpStatusCode, 200, what);
  const error = (rv as { error?: unknown }).error;
  assert.ok(error instanceof ProtocolError, `${what}: ${String(error)}`);
  assert.equal(error.message, (rv.msg as { error: string }).error);
  assert.throws(() => unwrap(rv), (e) => e === error);
  return error;
}

Deno.test("e2e schema: spoiled answers from the sandbox are ProtocolErrors naming method, endpoint and path", async () => {
  await withSandbox(async ({ sb, api, admin, user }) => {
    const ids = charged(sb);
    const productPath = `/charges/product/${ids.productId}`;
    const prefix = `getProductCharges: AS answered GET ${productPath}?pbp=-1 with a body that ` +
      `is not ProductChargesGetResponse: `;
    const productCharges = () =>
      api.getProductCharges(admin, { productId: ids.productId, pbp: -1 });
    const clean = ok(await productCharges());
    assert.ok(clean.storage_charges.items.length > 0);

    sb.setFaults({ rules: [{ path: "/charges/product/*", kind: "empty-body" }] });
    sb.resetStats();
    let error = protocol(await productCharges(), "empty body");
    assert.equal(error.message, prefix + "expected a JSON object, got an empty body");
    assert.equal(sb.stats().byService.as, 1, "not retried");

    sb.setFaults({
      rules: [{ path: "/charges/product/*", kind: "wrong-type", field: "storage_charges" }],
    });
    error = protocol(await productCharges(), "storage_charges a number");
    assert.equal(error.message, prefix + "storage_charges: expected object, got number");
    assert.equal(error.path, "storage_charges");

    for (
      const [value, problem] of [
        ["1e3", 'expected a decimal string such as "12.50", got "1e3"'],
        ["12,5", 'expected a decimal string such as "12.50", got "12,5"'],
        [12.5, "expected string, got number"],
      ] as const
    ) {
      sb.setFaults({
        rules: [{
          path: "/charges/product/*",
          kind: "wrong-type",
          field: "storage_charges.items.0.coins",
          value,
        }],
      });
      error = protocol(await productCharges(), `coin ${value}`);
      assert.equal(error.message, prefix + `storage_charges.items[0].coins: ${problem}`);
    }

    sb.setFaults({
      rules: [{ path: "/charges/unit/*", kind: "wrong-type", field: "products.0.charges" }],
    });
    error = protocol(await api.getUnitCharges(admin, { unitId: ids.unitId }), "unit charges");
    assert.equal(
      error.message,
      `getUnitCharges: AS answered GET /charges/unit/${ids.unitId} with a body that is not ` +
        "UnitChargesGetResponse: products[0].charges: expected array, got number",
    );

    sb.setFaults({ rules: [{ path: "/product", kind: "html" }] });
    error = protocol(await api.getAvailableProducts(user), "html");
    assert.equal(
      error.message,
      "getAvailableProducts: AS answered GET /product with a body that is not " +
        "ProductsGetResponse: expected a JSON object, got an HTML page (Content-Type: text/html)",
    );

    // Endpoints without a body keep the Python answer `{}` whatever the body.
    const org = ok(
      await api.createOrganisation(admin, { orgName: "Spoilt", orgOwner: "ada.lovelace" }),
    );
    sb.setFaults({ rules: [{ methods: ["PATCH"], kind: "empty-body" }] });
    assert.deepEqual(ok(await api.alterOrganisation(user, { orgId: org.id, name: "S2" })), {});
    sb.setFaults({});
    assert.deepEqual(ok(await productCharges()), clean, "a clean answer again");
  });
});
