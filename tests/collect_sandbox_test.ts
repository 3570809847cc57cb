// Acceptance of charge collection against the sandbox: for every scope and period form the
// rows and totals equal the sandbox's own data (its totals endpoints are the ground truth),
// to the last digit, with the minimum number of requests.
import assert from "node:assert/strict";
import { unwrap } from "../client/as/api_rv.ts";
import { UsageError } from "../client/errors.ts";
import type { ProductChargesGetResponse } from "../client/types.ts";
import { collectChargeReports, collectCharges } from "../reports/charges/collect.ts";
import type {
  CollectContext,
  PeriodRequest,
  ScopeRequest,
} from "../reports/charges/collect_types.ts";
import type { ChargeReport, ChargeRow } from "../reports/charges/model.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import { oracleSum, sameAmount } from "./fixtures/coin_oracle.ts";

const NOW = "2026-03-15T12:00:00Z";

async function withSandbox(
  fn: (ctx: CollectContext, tools: Tools) => Promise<void>,
): Promise<void> {
  const sandbox = await startSandbox({ port: 0, seed: 7, now: NOW, quiet: true });
  const conn = sandboxConnection(sandbox);
  try {
    const ctx = { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: true };
    const token = await conn.tokens.getToken();
    const orgs = unwrap(await conn.api.getOrganisations(token)).organisations;
    const products = unwrap(await conn.api.getAvailableProducts(token)).products;
    await fn(ctx, { api: conn.api, token, orgs, products, stats: () => sandbox.stats() });
  } finally {
    await conn.close();
  }
}

interface Tools {
  api: ReturnType<typeof sandboxConnection>["api"];
  token: string;
  orgs: { id: string; name: string }[];
  products: import("../client/types.ts").AnyProduct[];
  stats: () => { byService: { as: number } };
}

function rowsOf(report: ChargeReport): ChargeRow[] {
  return [...report.rows as ChargeRow[]];
}

/** The rows a product's charges call must give, as [id, type, coins] triples. */
function expectedItems(charges: ProductChargesGetResponse): string[] {
  return [
    ...charges.processing_charges.map((p) => `${p.charge.id} PROCESSING ${p.charge.coins}`),
    ...charges.storage_charges.items.map((s) => `${s.item_number} STORAGE ${s.coins}`),
  ].sort();
}

function query(period: PeriodRequest) {
  return "pbp" in period ? { pbp: period.pbp } : { from: period.from, until: period.until };
}

const PERIODS: PeriodRequest[] = [
  { pbp: -1 },
  { pbp: 0 },
  { from: "2026-01-01", until: "2026-02-01" },
];

Deno.test("organisation scope equals the sandbox's organisation totals, every period form", async () => {
  await withSandbox(async (ctx, t) => {
    const org = t.orgs.find((o) => o.name === "=SUM(A1) Labs")!;
    const products = t.products.filter((p) => p.organisation.id === org.id);
    for (const period of PERIODS) {
      for (const ref of [org.name, org.id]) {
        const { report, requests } = await collectCharges(ctx, {
          scope: { kind: "organisation", ref },
          period,
        });
        const server = unwrap(
          await t.api.getOrganisationCharges(t.token, { orgId: org.id, ...query(period) }),
        );
        assert.ok(report.rowCount > 0);
        assert.ok(
          sameAmount(report.totals.grand.coins, server.coins),
          `${JSON.stringify(period)}: ${report.totals.grand.coins} vs ${server.coins}`,
        );
        for (const s of server.summary) {
          assert.ok(sameAmount(report.totals.byChargeType[s.type].coins, s.coins));
        }
        for (const u of server.unit_charges) {
          const mine = report.totals.byUnit[u.unit_id]?.coins ?? "0";
          const theirs = oracleSum(u.summary.map((s) => s.coins));
          assert.ok(theirs.eq(mine), `unit ${u.name}: ${mine} vs ${theirs}`);
        }
        assert.equal(report.reconciliation.ok, true, JSON.stringify(report.reconciliation));
        assert.equal(report.scopeName, "=SUM(A1) Labs");
        assert.equal(report.sandbox, true);
        // Minimum: the org (by id or via the list), its products, one per product, its summary.
        assert.equal(requests, 3 + products.length);
      }
    }
  });
});

Deno.test("unit and product scopes equal the sandbox's unit and product charges", async () => {
  await withSandbox(async (ctx, t) => {
    const product = t.products.find((p) => p.product.name === "Kinase panel")!;
    const unitId = product.unit.id;
    for (const period of PERIODS) {
      const unit = await collectCharges(ctx, {
        scope: { kind: "unit", ref: product.unit.name },
        period,
      });
      const server = unwrap(await t.api.getUnitCharges(t.token, { unitId, ...query(period) }));
      assert.ok(sameAmount(unit.report.totals.grand.coins, server.coins));
      assert.equal(unit.report.reconciliation.ok, true);
      assert.equal(unit.report.period.from, server.from.slice(0, 10));

      for (const ref of [product.product.id, "Kinase panel"]) {
        const { report, requests } = await collectCharges(ctx, {
          scope: { kind: "product", ref },
          period,
        });
        const charges = unwrap(
          await t.api.getProductCharges(t.token, {
            productId: product.product.id,
            ...query(period),
          }),
        );
        const rows = rowsOf(report);
        assert.deepEqual(
          rows.map((r) => `${r.chargeId} ${r.chargeType} ${r.coins}`).sort(),
          expectedItems(charges),
        );
        assert.ok(sameAmount(report.totals.grand.coins, charges.coins));
        assert.equal(requests, 2);
        assert.ok(
          rows.every((r) => r.unitId === unitId && r.organisationId === product.organisation.id),
        );
        assert.ok(
          rows.every((r) =>
            r.productName === "Kinase panel" && r.billingDay === product.unit.billing_day
          ),
        );
      }
    }
  });
});

Deno.test("all organisations equal GET /charges, with one request per product plus two", async () => {
  await withSandbox(async (ctx, t) => {
    for (const period of PERIODS) {
      const before = t.stats().byService.as;
      const { report, requests } = await collectCharges(ctx, { scope: { kind: "all" }, period });
      assert.equal(t.stats().byService.as - before, requests, "count matches the server's");
      assert.equal(requests, t.products.length + 2);
      const all = unwrap(await t.api.getCharges(t.token, query(period)));
      assert.ok(sameAmount(report.totals.grand.coins, all.coins));
      for (const o of all.organisation_charges) {
        const theirs = oracleSum(o.summary.map((s) => s.coins));
        assert.ok(theirs.eq(report.totals.byOrganisation[o.organisation_id]?.coins ?? "0"));
      }
      assert.equal(
        report.reconciliation.ok,
        true,
        JSON.stringify(report.reconciliation.mismatches),
      );
      assert.equal(report.rowCount, rowsOf(report).length);
    }
  });
});

Deno.test("a pbp range makes one report per period, each equal to the server's", async () => {
  await withSandbox(async (ctx, t) => {
    const org = t.orgs.find((o) => o.name === "Acme Chemistry, Ltd.")!;
    const scope: ScopeRequest = { kind: "organisation", ref: org.name };
    const periods = [{ pbp: -3 }, { pbp: -2 }, { pbp: -1 }];
    const many = await collectChargeReports(ctx, { scope, periods });
    assert.equal(many.reports.length, 3);
    const products = t.products.filter((p) => p.organisation.id === org.id).length;
    assert.equal(many.requests, 2 + 3 * (products + 1));
    for (const [i, report] of many.reports.entries()) {
      const server = unwrap(
        await t.api.getOrganisationCharges(t.token, { orgId: org.id, pbp: periods[i].pbp }),
      );
      assert.ok(sameAmount(report.totals.grand.coins, server.coins));
      assert.equal(report.period.pbp, periods[i].pbp);
      assert.equal(report.reconciliation.ok, true);
    }
    assert.ok(many.reports[0].period.from < many.reports[1].period.from);
  });
});

Deno.test("names: unknown and ambiguous ones are usage errors listing candidates", async () => {
  await withSandbox(async (ctx, t) => {
    await assert.rejects(
      collectCharges(ctx, { scope: { kind: "organisation", ref: "acme" }, period: { pbp: -1 } }),
      (e: unknown) => e instanceof UsageError && e.message.includes('"Acme Chemistry, Ltd.'),
    );
    const unit = t.products[0].unit;
    unwrap(
      await t.api.createProduct(t.token, {
        productName: "Kinase panel",
        unitId: unit.id,
        productType: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
        flavour: "BRONZE",
      }),
    );
    await assert.rejects(
      collectCharges(ctx, { scope: { kind: "product", ref: "Kinase panel" }, period: { pbp: -1 } }),
      (e: unknown) =>
        e instanceof UsageError && /ambiguous \(2 match\)/.test(e.message) &&
        /give the id/.test(e.message),
    );
  });
});
