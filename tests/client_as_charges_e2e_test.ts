import assert from "node:assert/strict";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { UsageError } from "../client/errors.ts";
import { failed, ok, type Sandbox, withSandbox } from "./fixtures/client_e2e_helpers.ts";

/** A demo product that has charges, with its unit and organisation (sandbox ground truth). */
function charged(sb: Sandbox) {
  const product = [...sb.state.products.values()].find((p) =>
    p.hasDemoCharges && !sb.state.units.get(p.unitId)?.personal
  );
  assert.ok(product, "a demo product with charges");
  const unit = sb.state.units.get(product.unitId)!;
  return { productId: product.id, unitId: unit.id, orgId: unit.orgId };
}

Deno.test("e2e charges: product, unit, organisation and all, by pbp and dates", async () => {
  await withSandbox(async ({ sb, api, admin }) => {
    const ids = charged(sb);
    const current = ok(await api.getProductCharges(admin, { productId: ids.productId }));
    assert.equal(current.product_id, ids.productId);
    assert.equal(typeof current.coins, "string");
    const previous = ok(await api.getProductCharges(admin, { productId: ids.productId, pbp: -1 }));
    assert.ok(previous.from < current.from, `${previous.from} before ${current.from}`);
    const byDates = ok(
      await api.getProductCharges(admin, {
        productId: ids.productId,
        from: previous.from.slice(0, 10),
        until: new Date(Date.parse(previous.until)),
      }),
    );
    assert.equal(byDates.coins, previous.coins);

    const unit = ok(await api.getUnitCharges(admin, { unitId: ids.unitId, pbp: -1 }));
    assert.equal(unit.unit_id, ids.unitId);
    assert.ok(unit.products.some((p) => p.product_id === ids.productId));

    const org = ok(await api.getOrganisationCharges(admin, { orgId: ids.orgId, pbp: -2 }));
    assert.equal(org.organisation_id, ids.orgId);
    assert.ok(org.unit_charges.some((u) => u.unit_id === ids.unitId));
    // The organisation's total equals the exact sum of its summary (coins are decimals).
    const sum = oracleSum(org.summary.map((s) => s.coins));
    assert.ok(sum.eq(org.coins), `${sum} vs ${org.coins}`);

    const all = ok(await api.getCharges(admin, { pbp: -1 }));
    assert.ok(all.organisation_charges.some((o) => o.organisation_id === ids.orgId));
  });
});

Deno.test("e2e charges: the failures users meet", async () => {
  await withSandbox(async ({ sb, api, admin, user, outsider }) => {
    const ids = charged(sb);
    failed(
      await api.getProductCharges(outsider, { productId: ids.productId }),
      403,
      "outsider product charges",
    );
    failed(
      await api.getUnitCharges(outsider, { unitId: ids.unitId }),
      403,
      "outsider unit charges",
    );
    failed(
      await api.getOrganisationCharges(outsider, { orgId: ids.orgId }),
      403,
      "outsider org charges",
    );
    failed(await api.getCharges(user, {}), 403, "all charges as a user");
    const missing = "product-00000000-0000-4000-8000-000000000000";
    failed(await api.getProductCharges(admin, { productId: missing }), 404, "unknown product");
    failed(
      await api.getUnitCharges(admin, { unitId: "unit-00000000-0000-4000-8000-000000000000" }),
      404,
      "unit",
    );
    failed(
      await api.getOrganisationCharges(admin, {
        orgId: "org-00000000-0000-4000-8000-000000000000",
      }),
      404,
      "org",
    );
    // The Default organisation has no organisation charges.
    const def = ok(await api.getDefaultOrganisation(admin));
    const defaultCharges = await api.getOrganisationCharges(admin, { orgId: def.id! });
    assert.equal(defaultCharges.success, false);
    // Bad periods never reach the server.
    sb.resetStats();
    await assert.rejects(() => api.getCharges(admin, { pbp: 3 }), UsageError);
    await assert.rejects(
      () =>
        api.getUnitCharges(admin, { unitId: ids.unitId, from: "2026-11-01", until: "2026-11-01" }),
      UsageError,
    );
    assert.equal(sb.stats().byService.as, 0);
  });
});
