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

const PRODUCT_ID = /^product-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIER = "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION";
const STORAGE = "DATA_MANAGER_STORAGE_SUBSCRIPTION";

function withServer(fn: (s: TestAsServer) => Promise<void>): Promise<void> {
  return withTestAsServer({ seed: 1, now: "2026-03-10T10:00:00Z" }, fn);
}

function demo(s: TestAsServer) {
  const [org0, org1] = [...s.state.orgs.values()].filter((o) => !o.isDefault);
  return { org0, org1, units0: s.state.unitsOf(org0.id), units1: s.state.unitsOf(org1.id) };
}

// deno-lint-ignore no-explicit-any
function checkProduct(p: any) {
  const keys = ["claimable", "coins", "organisation", "product", "storage", "unit"];
  if (p.product.type === TIER) keys.push("instance", ...("claim" in p ? ["claim"] : []));
  assert.deepEqual(Object.keys(p).sort(), keys.sort());
  assert.match(p.product.id, PRODUCT_ID);
  assert.match(p.product.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.equal(typeof p.product.name, "string");
  if (p.product.type === STORAGE) {
    assert.equal("flavour" in p.product, false, "storage products have no flavour");
    assert.equal(p.claimable, false);
  } else {
    assert.ok(["EVALUATION", "BRONZE", "SILVER", "GOLD"].includes(p.product.flavour));
    assert.equal(p.claimable, true);
    assert.equal(typeof p.instance.coins.used, "number");
    if (p.claim) assert.equal(typeof p.claim.id, "string");
  }
  for (
    const key of [
      "allowance",
      "limit",
      "used",
      "current_burn_rate",
      "billing_prediction",
      "billing_prediction_storage_contribution",
      "billing_day",
      "allowance_multiplier",
      "overspend_multiplier",
      "remaining_days",
    ]
  ) {
    assert.equal(typeof p.coins[key], "number", `coins.${key}`);
  }
  assert.equal(typeof p.coins.at_limit, "boolean");
  assert.ok(p.coins.limit >= p.coins.allowance);
  assert.ok(p.coins.billing_prediction >= p.coins.used);
  assert.equal(p.coins.billing_day, p.unit.billing_day);
  for (const key of ["peak", "current", "unit_size"]) {
    assert.match(p.storage.size[key], /^\d+(\.\d)? (Bytes|KiB|MiB|GiB|TiB)$/);
  }
  assert.equal(typeof p.storage.size.units_used, "number");
  assert.equal(typeof p.storage.coins.used, "number");
  assert.equal(typeof p.storage.coins.unit_cost, "number");
  assert.equal(typeof p.organisation.id, "string");
  assert.ok(Array.isArray(p.unit.users));
}

Deno.test("products: listings show every type and flavour to those who may see them", async () => {
  await withServer(async (s) => {
    const { org0, org1, units0, units1 } = demo(s);
    const all = await s.call(DEMO_ADMIN, "/product");
    assert.equal(all.status, 200);
    assert.equal(all.body.count, s.state.products.size);
    assert.ok(all.body.count >= 20);
    for (const p of all.body.products) checkProduct(p);
    const kinds = new Set(
      all.body.products.map((p: { product: { type: string; flavour?: string } }) =>
        `${p.product.type}/${p.product.flavour ?? ""}`
      ),
    );
    for (
      const k of [
        `${STORAGE}/`,
        `${TIER}/EVALUATION`,
        `${TIER}/BRONZE`,
        `${TIER}/SILVER`,
        `${TIER}/GOLD`,
      ]
    ) assert.ok(kinds.has(k), k);
    const zero = all.body.products.find((p: { storage: { size: { peak: string } } }) =>
      p.storage.size.peak === "0 Bytes"
    );
    assert.ok(zero, "one product stores nothing");
    const ada = (await s.call(DEMO_ADA, "/product")).body;
    const expected = [...units0, units1[0], s.state.personalUnitOf(DEMO_ADA)!].flatMap((u) =>
      s.state.productsOf(u.id).map((p) => p.id)
    );
    assert.deepEqual(
      ada.products.map((p: { product: { id: string } }) => p.product.id).sort(),
      expected.sort(),
    );
    assert.deepEqual((await s.call(DEMO_OSCAR, "/product")).body, { count: 0, products: [] });
    const cases: [string | null, string, number][] = [
      [DEMO_ADA, `/product/unit/${units1[0].id}`, 200],
      [DEMO_ADA, `/product/unit/${units1[1].id}`, 403],
      [DEMO_GRACE, `/product/unit/${units1[1].id}`, 200],
      [DEMO_OSCAR, `/product/unit/${units0[0].id}`, 403],
      [null, `/product/unit/${units0[0].id}`, 401],
      [DEMO_ADMIN, "/product/unit/unit-00000000-0000-4000-8000-000000000000", 404],
      [DEMO_CHEN, `/product/organisation/${org0.id}`, 200],
      [DEMO_ADA, `/product/organisation/${org1.id}`, 403],
      [DEMO_ADMIN, "/product/organisation/org-00000000-0000-4000-8000-000000000000", 404],
    ];
    for (const [user, path, status] of cases) {
      assert.equal((await s.call(user, path)).status, status, `${user} ${path}`);
    }
    const byOrg = (await s.call(DEMO_CHEN, `/product/organisation/${org0.id}`)).body;
    assert.equal(byOrg.count, units0.reduce((n, u) => n + s.state.productsOf(u.id).length, 0));
  });
});

Deno.test("products: GET by id wraps the product; coins block agrees with the charges", async () => {
  await withServer(async (s) => {
    const { units1 } = demo(s);
    const product = s.state.productsOf(units1[0].id)[0];
    const r = await s.call(DEMO_ADA, `/product/${product.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ["product"]);
    checkProduct(r.body.product);
    assert.equal(r.body.product.product.id, product.id);
    const charges = (await s.call(DEMO_ADA, `/charges/product/${product.id}`)).body;
    const today = charges.storage_charges.items.at(-1);
    assert.equal(r.body.product.coins.current_burn_rate, Number(today.current_burn_rate));
    assert.equal(r.body.product.storage.coins.used, Number(today.coins));
    const remaining = Math.round(
      (Date.parse(charges.until) - Date.parse("2026-03-10")) / 86_400_000,
    );
    assert.equal(r.body.product.coins.remaining_days, remaining);
    assert.equal(
      (await s.call(DEMO_ADA, `/product/${s.state.productsOf(units1[1].id)[0].id}`)).status,
      403,
    );
    assert.equal(
      (await s.call(DEMO_ADA, "/product/product-00000000-0000-4000-8000-000000000000")).status,
      404,
    );
    assert.equal((await s.call(null, `/product/${product.id}`)).status, 401);
  });
});

Deno.test("products: product types and the default storage cost", async () => {
  await withServer(async (s) => {
    const types = await s.call(DEMO_OSCAR, "/product-type");
    assert.equal(types.status, 200);
    assert.equal(types.body.count, types.body.product_types.length);
    assert.deepEqual(
      types.body.product_types.map((t: { type: string; flavour?: string }) => t.flavour ?? t.type),
      [
        "EVALUATION",
        "BRONZE",
        "SILVER",
        "GOLD",
        STORAGE,
      ],
    );
    for (const t of types.body.product_types) assert.equal(t.service_kind, "DATA_MANAGER");
    const cost = await s.call(DEMO_EVE, "/product-default-storage-cost");
    assert.equal(cost.status, 200);
    assert.deepEqual(Object.keys(cost.body.default_storage_cost).sort(), [
      "cost",
      "description",
      "units",
    ]);
    assert.match(cost.body.default_storage_cost.cost, /^\d+\.\d+$/);
    assert.equal((await s.call(null, "/product-type")).status, 401);
    assert.equal((await s.call(null, "/product-default-storage-cost")).status, 401);
  });
});

Deno.test("products: create follows the type, flavour, allowance and limit rules", async () => {
  await withServer(async (s) => {
    const { units0 } = demo(s);
    const path = `/product/unit/${units0[0].id}`;
    const post = (user: string | null, json: unknown, p = path) =>
      s.call(user, p, { method: "POST", json });
    const bad = [
      { name: "No type" },
      { name: "Bad type", type: "DATA_MANAGER_SOMETHING" },
      { name: "x".repeat(81), type: TIER, flavour: "GOLD" },
      { name: "Tier without flavour", type: TIER },
      { name: "Tier bad flavour", type: TIER, flavour: "PLATINUM" },
      { name: "Tier with allowance", type: TIER, flavour: "GOLD", allowance: 10 },
      { name: "Tier with limit", type: TIER, flavour: "GOLD", limit: 10 },
      { name: "Storage no allowance", type: STORAGE },
      { name: "Storage with flavour", type: STORAGE, flavour: "GOLD", allowance: 5 },
      { name: "Storage zero allowance", type: STORAGE, allowance: 0 },
      { name: "Storage fractional", type: STORAGE, allowance: 1.5 },
      { name: "Storage limit below", type: STORAGE, allowance: 10, limit: 5 },
      { name: "Storage zero limit", type: STORAGE, allowance: 10, limit: 0 },
    ];
    for (const body of bad) {
      const r = await post(DEMO_ADA, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.error, /^[A-Z]/);
    }
    assert.equal(
      (await post(DEMO_OSCAR, { name: "Intruder", type: TIER, flavour: "GOLD" })).status,
      403,
    );
    assert.equal((await post(null, { name: "Anon", type: TIER, flavour: "GOLD" })).status, 401);
    assert.equal(
      (await post(
        DEMO_ADA,
        { name: "Lost", type: TIER, flavour: "GOLD" },
        "/product/unit/unit-00000000-0000-4000-8000-000000000000",
      )).status,
      404,
    );
    const storage = await post(DEMO_CHEN, {
      name: 'Datasets, "raw"',
      type: STORAGE,
      allowance: 100,
    });
    assert.equal(storage.status, 201);
    assert.deepEqual(Object.keys(storage.body), ["id"]);
    assert.match(storage.body.id, PRODUCT_ID);
    const got = (await s.call(DEMO_CHEN, `/product/${storage.body.id}`)).body.product;
    checkProduct(got);
    assert.deepEqual(
      [got.coins.allowance, got.coins.limit],
      [100, 100],
      "the limit defaults to the allowance",
    );
    const tier = await post(DEMO_ADA, { name: "Gold tier", type: TIER, flavour: "GOLD" });
    assert.equal(tier.status, 201);
    const tierCharges = (await s.call(DEMO_ADA, `/charges/product/${tier.body.id}`)).body;
    assert.deepEqual(
      [tierCharges.coins, tierCharges.count],
      ["0.0000", 0],
      "new products start without charges",
    );
  });
});

Deno.test("products: evaluators may only create EVALUATION products in their personal unit", async () => {
  await withServer(async (s) => {
    const personal = s.state.personalUnitOf(DEMO_EVE)!;
    const post = (json: unknown, unitId = personal.id) =>
      s.call(DEMO_EVE, `/product/unit/${unitId}`, { method: "POST", json });
    assert.equal((await post({ name: "Try gold", type: TIER, flavour: "GOLD" })).status, 403);
    assert.equal((await post({ name: "Try storage", type: STORAGE, allowance: 5 })).status, 403);
    assert.equal(
      (await post(
        { name: "Elsewhere", type: TIER, flavour: "EVALUATION" },
        s.state.personalUnitOf(DEMO_ADA)!.id,
      )).status,
      403,
    );
    const ok = await post({ name: "Evaluation two", type: TIER, flavour: "EVALUATION" });
    assert.equal(ok.status, 201);
    const products = (await s.call(DEMO_EVE, `/product/unit/${personal.id}`)).body;
    assert.ok(
      products.products.every((p: { product: { flavour: string } }) =>
        p.product.flavour === "EVALUATION"
      ),
    );
  });
});

Deno.test("products: patch may raise but not lower allowance and limit; delete needs no claim", async () => {
  await withServer(async (s) => {
    const { units0 } = demo(s);
    const created = (await s.call(DEMO_ADA, `/product/unit/${units0[0].id}`, {
      method: "POST",
      json: { name: "Patchable", type: STORAGE, allowance: 100, limit: 200 },
    })).body;
    const patch = (json: unknown, id = created.id) =>
      s.call(DEMO_ADA, `/product/${id}`, { method: "PATCH", json });
    const ok = await patch({ name: "Patched, ok", allowance: 150, limit: 300 });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, "");
    const after = (await s.call(DEMO_ADA, `/product/${created.id}`)).body.product;
    assert.deepEqual([after.product.name, after.coins.allowance, after.coins.limit], [
      "Patched, ok",
      150,
      300,
    ]);
    for (
      const body of [{ allowance: 120 }, { limit: 250 }, { allowance: 400 }, { allowance: 0 }, {
        limit: -1,
      }, { name: "" }]
    ) {
      assert.equal((await patch(body)).status, 400, JSON.stringify(body));
    }
    const tier = [...s.state.products.values()].find((p) =>
      p.type === TIER && p.unitId === units0[0].id
    )!;
    assert.equal(
      (await patch({ allowance: 99999 }, tier.id)).status,
      400,
      "built-in allowances cannot change",
    );
    assert.equal(
      (await s.call(DEMO_OSCAR, `/product/${created.id}`, { method: "PATCH", json: { name: "x" } }))
        .status,
      403,
    );
    const claimed = [...s.state.products.values()].find((p) =>
      p.claim && p.unitId === units0[0].id
    ) ??
      [...s.state.products.values()].find((p) => p.claim)!;
    const refused = await s.call(DEMO_ADMIN, `/product/${claimed.id}`, { method: "DELETE" });
    assert.equal(refused.status, 400);
    assert.ok(refused.body.error.includes(claimed.claim!.id));
    assert.equal(
      (await s.call(DEMO_OSCAR, `/product/${created.id}`, { method: "DELETE" })).status,
      403,
    );
    const del = await s.call(DEMO_ADA, `/product/${created.id}`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    assert.equal((await s.call(DEMO_ADA, `/product/${created.id}`)).status, 404);
    assert.equal(
      (await s.call(DEMO_ADA, `/product/${created.id}`, { method: "DELETE" })).status,
      404,
    );
  });
});
