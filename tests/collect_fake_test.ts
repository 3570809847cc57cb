// Detailed tests of charge collection against an in-memory AS (structural ChargesApi):
// scope resolution, rows, exact totals, reconciliation, request counts and concurrency.
import assert from "node:assert/strict";
import { type ApiRv, rvFailure } from "../client/as/api_rv.ts";
import { oracleSumText, sameAmount } from "./fixtures/coin_oracle.ts";
import { ApiError, ProtocolError, UsageError } from "../client/errors.ts";
import type {
  AnyProduct,
  ChargeSummary,
  OrganisationAllDetail,
  ProductChargesGetResponse,
  UnitAllDetail,
} from "../client/types.ts";
import {
  type ChargesApi,
  collectChargeReports,
  collectCharges,
} from "../reports/charges/collect.ts";
import type { CollectContext } from "../reports/charges/collect_types.ts";
import { createLimiter, mapPool } from "../reports/_pool.ts";
import { reconciliationProblem } from "../reports/charges/reconcile.ts";
import { reconciliationText } from "../reports/charges/summary.ts";
import type { ChargeReport } from "../reports/charges/model.ts";
import { parseScope } from "../reports/charges/scope.ts";

const ID = (prefix: string, n: number) => `${prefix}-0000000${n}-0000-4000-8000-000000000000`;

function org(n: number, name: string): OrganisationAllDetail {
  return {
    id: ID("org", n),
    name,
    caller_is_member: true,
    private: false,
    created: "2025-01-01",
    default_product_privacy: "DEFAULT_PRIVATE",
    owner_id: "owner",
    users: [],
  };
}
function unit(n: number, name: string, billingDay: number): UnitAllDetail {
  return {
    id: ID("unit", n),
    name,
    billing_day: billingDay,
    caller_is_member: true,
    owner_id: "owner",
    private: false,
    created: "2025-01-01",
    default_product_privacy: "DEFAULT_PRIVATE",
    users: [],
  };
}

const ORGS = [org(1, "=Evil Org"), org(2, "Biology")];
const UNITS = [
  { unit: unit(1, "Lab", 3), org: ORGS[0] },
  { unit: unit(2, "Chemistry", 17), org: ORGS[0] },
  { unit: unit(3, "Lab", 3), org: ORGS[1] },
];

interface FakeCharge {
  type: "PROCESSING" | "STORAGE";
  coins: string;
  pbp: number;
  job?: string;
}
interface FakeProduct {
  product: AnyProduct;
  charges: FakeCharge[];
}

function product(n: number, name: string, u: number, charges: FakeCharge[]): FakeProduct {
  const { unit, org } = UNITS[u - 1];
  return {
    product: {
      product: {
        id: ID("product", n),
        name,
        created: "2025-01-01",
        type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
        flavour: "GOLD",
      },
      organisation: org,
      unit,
      storage: {
        size: { peak: "0", current: "0", unit_size: "1 GiB", units_used: 0 },
        coins: { used: 0, unit_cost: 1 },
      },
      coins: {} as AnyProduct["coins"],
      claimable: true,
      instance: { coins: { used: 0 } },
    } as AnyProduct,
    charges,
  };
}

const P = (coins: string, pbp = -1, job?: string): FakeCharge => ({
  type: "PROCESSING",
  coins,
  pbp,
  job,
});
const S = (coins: string, pbp = -1): FakeCharge => ({ type: "STORAGE", coins, pbp });

function dataset(): FakeProduct[] {
  return [
    product(1, "Alpha", 1, [P("0.1", -1, "=cmd|' /C calc'!A0"), P("0.2"), S("1.005"), P("9", -2)]),
    product(2, "Beta", 1, [S("0.7"), S("0.3"), P("-0.05")]),
    product(3, "Gamma", 2, [P("12.345678901234567890")]),
    product(4, "Alpha", 3, [P("3"), S("0.001", -2)]),
    product(5, "Empty", 3, []),
  ];
}

function period(billingDay: number, pbp: number) {
  // A fixed "now" of 2026-11-26: pbp -1 of billing day 3 is 2026-10-03..2026-11-03.
  const m = 10 + pbp + (billingDay <= 26 ? 0 : -1);
  const d = (month: number) =>
    new Date(Date.UTC(2026, month, billingDay)).toISOString().slice(0, 10);
  return { from: d(m), until: d(m + 1) };
}

interface FakeOptions {
  admin?: boolean;
  failProduct?: string;
  skewProduct?: string;
  delayMs?: number;
  /** Answer product charges for the current period whatever `from`/`until` ask (a bad proxy). */
  ignoreDates?: boolean;
  /** How `GET /charges/organisation/{id}` answers: refused (403), busy (429), or malformed. */
  orgCharges?: "refused" | "busy" | "malformed";
}

function ok<T>(msg: T): ApiRv<T> {
  return { success: true, msg, httpStatusCode: 200 };
}
function fail(status: number, error: string): ApiRv<never> {
  return { success: false, msg: { error }, httpStatusCode: status };
}

function fakeApi(data: FakeProduct[], options: FakeOptions = {}) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const track = async <T>(name: string, value: () => ApiRv<T>): Promise<ApiRv<T>> => {
    calls.push(name);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, options.delayMs ?? 0));
    inFlight--;
    return value();
  };
  const pbpOf = (q: { pbp?: number }) => q.pbp ?? 0;
  const sum = (cs: FakeCharge[], type?: string) =>
    oracleSumText(cs.filter((c) => !type || c.type === type).map((c) => c.coins));
  const summary = (cs: FakeCharge[]): ChargeSummary[] =>
    (["PROCESSING", "STORAGE"] as const).map((type) => ({ type, coins: sum(cs, type) }));
  const inPeriod = (p: FakeProduct, pbp: number) => p.charges.filter((c) => c.pbp === pbp);
  const chargesOf = (
    p: FakeProduct,
    pbp: number,
    dates?: { from: string; until: string },
  ): ProductChargesGetResponse => {
    // The fake's charges belong to billing periods; a date range holds none of them.
    const cs = dates ? [] : inPeriod(p, pbp);
    const range = dates ?? period(p.product.unit.billing_day, pbp);
    let id = 100;
    return {
      product_id: p.product.product.id,
      product_type: p.product.product.type,
      billing_day: p.product.unit.billing_day,
      claimable: true,
      count: cs.length,
      ...range,
      coins: options.skewProduct === p.product.product.id
        ? oracleSumText([sum(cs), "0.01"])
        : sum(cs),
      processing_charges: cs.filter((c) => c.type === "PROCESSING").map((c) => ({
        merchant_name: "dm",
        merchant_kind: "DATA_MANAGER" as const,
        merchant_api_hostname: "dm.example",
        final: true,
        closed: `${range.from}T12:00:00Z`,
        charge: {
          id: id++,
          sqn: 1,
          username: "alice",
          timestamp: `${range.from}T10:00:${String(id).slice(-2)}Z`,
          coins: c.coins,
          additional_data: c.job ? { job_collection: "im", job_job: c.job, job_version: "1" } : {},
        },
      })),
      storage_charges: {
        num_items: 0,
        items: cs.filter((c) => c.type === "STORAGE").map((c, i) => ({
          item_number: i + 1,
          date: range.from,
          coins: c.coins,
        })),
      },
    };
  };
  const api: ChargesApi = {
    getOrganisations: () =>
      track("GET /organisation", () => ok({ count: ORGS.length, organisations: ORGS })),
    getOrganisation: (_t, { orgId }) =>
      track(`GET /organisation/${orgId}`, () => {
        const o = ORGS.find((x) => x.id === orgId);
        return o ? ok(o) : fail(404, "No such organisation");
      }),
    getUnits: () =>
      track("GET /unit", () =>
        ok({
          units: ORGS.map((o) => ({
            organisation: o,
            units: UNITS.filter((u) => u.org.id === o.id).map((u) => u.unit),
          })),
        })),
    getAvailableProducts: () =>
      track("GET /product", () => ok({ count: data.length, products: data.map((p) => p.product) })),
    getProductsForUnit: (_t, { unitId }) =>
      track(`GET /product/unit/${unitId}`, () => {
        const ps = data.filter((p) => p.product.unit.id === unitId).map((p) => p.product);
        return ok({ count: ps.length, products: ps });
      }),
    getProductsForOrganisation: (_t, { orgId }) =>
      track(`GET /product/organisation/${orgId}`, () => {
        const ps = data.filter((p) => p.product.organisation.id === orgId).map((p) => p.product);
        return ok({ count: ps.length, products: ps });
      }),
    getProduct: (_t, { productId }) =>
      track(`GET /product/${productId}`, () => {
        const p = data.find((x) => x.product.product.id === productId);
        return p ? ok({ product: p.product }) : fail(404, "No such product");
      }),
    getProductCharges: (_t, q) =>
      track(`GET /charges/product/${q.productId}`, () => {
        if (q.productId === options.failProduct) return fail(500, "Internal error");
        const p = data.find((x) => x.product.product.id === q.productId)!;
        const dates = q.from && q.until && !options.ignoreDates
          ? { from: String(q.from), until: String(q.until) }
          : undefined;
        return ok(chargesOf(p, pbpOf(q), dates));
      }),
    getUnitCharges: (_t, q) =>
      track(`GET /charges/unit/${q.unitId}`, () => {
        const u = UNITS.find((x) => x.unit.id === q.unitId)!.unit;
        const ps = data.filter((p) => p.product.unit.id === q.unitId);
        const cs = ps.flatMap((p) => inPeriod(p, pbpOf(q)));
        return ok({
          caller_is_member: true,
          unit_id: u.id,
          name: u.name,
          owner_id: "owner",
          private: false,
          created: "2025-01-01",
          coins: sum(cs),
          count: cs.length,
          billing_day: u.billing_day,
          ...period(u.billing_day, pbpOf(q)),
          summary: { charges: summary(cs) },
          products: ps.map((p) => ({
            product_id: p.product.product.id,
            product_type: p.product.product.type,
            charges: summary(inPeriod(p, pbpOf(q))),
          })),
        });
      }),
    getOrganisationCharges: (_t, q) =>
      track(`GET /charges/organisation/${q.orgId}`, () => {
        if (options.orgCharges === "refused") return fail(403, "Not available to you");
        if (options.orgCharges === "busy") return fail(429, "Too many requests");
        if (options.orgCharges === "malformed") {
          const problem = "expected a JSON object, got an empty body";
          return rvFailure(
            200,
            `AS answered GET /charges/organisation/${q.orgId} with a body that is not OrganisationChargesGetResponse: ${problem}`,
            new ProtocolError(
              `AS answered GET /charges/organisation/${q.orgId} with a body that is not OrganisationChargesGetResponse: ${problem}`,
              { status: 200, schema: "OrganisationChargesGetResponse", path: "", problem },
            ),
          );
        }
        const o = ORGS.find((x) => x.id === q.orgId)!;
        const ps = data.filter((p) => p.product.organisation.id === q.orgId);
        return ok({
          organisation_id: o.id,
          name: o.name,
          coins: sum(ps.flatMap((p) => inPeriod(p, pbpOf(q)))),
          summary: summary(ps.flatMap((p) => inPeriod(p, pbpOf(q)))),
          unit_charges: UNITS.filter((u) => u.org.id === o.id).map((u) => ({
            unit_id: u.unit.id,
            name: u.unit.name,
            billing_day: u.unit.billing_day,
            ...period(u.unit.billing_day, pbpOf(q)),
            summary: summary(
              ps.filter((p) => p.product.unit.id === u.unit.id).flatMap((p) =>
                inPeriod(p, pbpOf(q))
              ),
            ),
          })),
        });
      }),
    getCharges: (_t, q = {}) =>
      track("GET /charges", () => {
        if (!options.admin) return fail(403, "You are not an admin");
        const cs = data.flatMap((p) => inPeriod(p, pbpOf(q)));
        return ok({
          coins: sum(cs),
          count: cs.length,
          summary: summary(cs),
          organisation_charges: ORGS.map((o) => ({
            organisation_id: o.id,
            name: o.name,
            summary: summary(
              data.filter((p) => p.product.organisation.id === o.id).flatMap((p) =>
                inPeriod(p, pbpOf(q))
              ),
            ),
          })),
        });
      }),
  };
  return { api, calls, maxInFlight: () => maxInFlight };
}

function context(api: ChargesApi): CollectContext {
  return {
    api,
    tokens: { getToken: () => Promise.resolve("fake-token") },
    sourceUrl: "http://as.test/account-server-api",
    sandbox: true,
  };
}

const NOW = () => new Date("2026-11-26T12:00:00Z");

Deno.test("organisation by name: rows, exact totals, reconciled, minimal requests", async () => {
  const fake = fakeApi(dataset());
  const { report, requests } = await collectCharges(
    context(fake.api),
    { scope: parseScope("org", "=Evil Org"), period: { pbp: -1 } },
    { now: NOW },
  );
  // 1 list orgs + 1 products of org + 3 product charges + 1 org summary.
  assert.equal(requests, 6);
  assert.deepEqual(fake.calls.filter((c) => c.startsWith("GET /charges/product")).length, 3);
  assert.equal(new Set(fake.calls).size, fake.calls.length, "no request made twice");
  assert.equal(report.scope, "organisation");
  assert.equal(report.scopeName, "=Evil Org");
  assert.equal(report.sandbox, true);
  assert.equal(report.rowCount, 7);
  const rows = [...(report.rows as Iterable<import("../reports/charges/model.ts").ChargeRow>)];
  assert.equal(rows.length, 7);
  // 0.1 + 0.2 + 1.005 + 0.7 + 0.3 - 0.05 + 12.345678901234567890, exactly.
  assert.equal(report.totals.grand.coins, "14.600678901234567890");
  assert.equal(report.totals.grand.items, 7);
  assert.equal(report.totals.byChargeType.PROCESSING.coins, "12.595678901234567890");
  assert.equal(report.totals.byChargeType.STORAGE.coins, "2.005");
  assert.ok(sameAmount(report.totals.byUnit[ID("unit", 1)].coins, "2.255"));
  assert.equal(report.totals.byProduct[ID("product", 2)].coins, "0.95");
  assert.equal(report.reconciliation.ok, true, JSON.stringify(report.reconciliation));
  assert.ok(report.reconciliation.checked >= 10);
  // Units bill on days 3 and 17: the report spans both periods and says so.
  assert.equal(report.period.from, "2026-10-03");
  assert.equal(report.period.until, "2026-11-17");
  assert.equal(report.period.pbp, -1);
  assert.match(report.period.label, /prior billing period -1 \(each unit on its own billing day\)/);
  const job = rows.find((r) => r.jobJob !== "")!;
  assert.equal(job.jobJob, "=cmd|' /C calc'!A0");
  assert.equal(job.jobCollection, "im");
  assert.equal(job.productFlavour, "GOLD");
  assert.equal(job.username, "alice");
  assert.equal(job.final, true);
  const storage = rows.filter((r) => r.chargeType === "STORAGE");
  assert.ok(storage.every((r) => r.username === "" && r.final === false && r.merchant === ""));
  assert.ok(rows.every((r) => r.organisationName === "=Evil Org"));
  assert.deepEqual(rows.map((r) => r.unitName), [
    "Chemistry",
    "Lab",
    "Lab",
    "Lab",
    "Lab",
    "Lab",
    "Lab",
  ]);
});

Deno.test("organisation by id, unit by name and id, product by id and name", async () => {
  const fake = fakeApi(dataset());
  const ctx = context(fake.api);
  const byOrgId = await collectCharges(ctx, {
    scope: { kind: "organisation", ref: ID("org", 2) },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(byOrgId.report.scopeName, "Biology");
  assert.equal(byOrgId.report.totals.grand.coins, "3");
  assert.equal(byOrgId.report.reconciliation.ok, true);
  assert.equal(byOrgId.requests, 5); // org, products of org, 2 product charges, org summary

  const unitById = await collectCharges(ctx, {
    scope: { kind: "unit", ref: ID("unit", 2) },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(unitById.report.scopeName, "Chemistry");
  assert.equal(unitById.report.totals.grand.coins, "12.345678901234567890");
  assert.equal(unitById.report.reconciliation.ok, true);
  assert.equal(unitById.requests, 4); // units, products of unit, 1 product charges, unit summary
  assert.equal(unitById.report.period.from, "2026-10-17");

  const unitByName = await collectCharges(ctx, {
    scope: { kind: "unit", ref: "Chemistry" },
    period: { pbp: -2 },
  }, { now: NOW });
  assert.equal(unitByName.report.rowCount, 0);
  assert.equal(unitByName.report.totals.grand.coins, "0");
  assert.equal(unitByName.report.reconciliation.ok, true);
  assert.equal(unitByName.report.period.from, "2026-09-17");

  const productById = await collectCharges(ctx, {
    scope: { kind: "product", ref: ID("product", 2) },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(productById.report.scopeName, "Beta");
  assert.equal(productById.requests, 2);
  assert.equal(productById.report.totals.grand.coins, "0.95");
  assert.equal(productById.report.totals.byChargeType.STORAGE.coins, "1.0");

  const productByName = await collectCharges(ctx, {
    scope: { kind: "product", ref: "Gamma" },
    period: { from: "2026-10-01", until: "2026-11-01" },
  }, { now: NOW });
  assert.equal(productByName.report.scopeId, ID("product", 3));
  assert.equal(productByName.report.period.from, "2026-10-01");
  assert.equal(productByName.report.period.until, "2026-11-01");
  assert.equal(productByName.report.period.label, "2026-10-01 (incl.) to 2026-11-01 (excl.)");
});

Deno.test("all: uses GET /product and GET /charges when admin, per organisation otherwise", async () => {
  const admin = fakeApi(dataset(), { admin: true });
  const a = await collectCharges(context(admin.api), {
    scope: { kind: "all" },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(a.requests, 1 + 5 + 1);
  assert.equal(a.report.scopeName, "all organisations");
  assert.equal(a.report.totals.grand.coins, "17.600678901234567890");
  assert.equal(Object.keys(a.report.totals.byOrganisation).length, 2);
  assert.equal(a.report.reconciliation.ok, true);
  assert.deepEqual(a.notes, []);

  const user = fakeApi(dataset());
  const b = await collectCharges(context(user.api), {
    scope: { kind: "all" },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(b.requests, 1 + 5 + 1 + 2);
  assert.equal(b.report.reconciliation.ok, true);
  assert.match(b.notes[0], /admin rights \(HTTP 403\)/);
  assert.equal(b.report.totals.grand.coins, a.report.totals.grand.coins);
});

Deno.test("several periods share one resolution and listing", async () => {
  const fake = fakeApi(dataset(), { admin: true });
  const many = await collectChargeReports(context(fake.api), {
    scope: { kind: "organisation", ref: "=Evil Org" },
    periods: [{ pbp: -2 }, { pbp: -1 }],
  }, { now: NOW });
  assert.equal(many.reports.length, 2);
  assert.equal(many.requests, 2 + 2 * (3 + 1));
  assert.equal(fake.calls.filter((c) => c === "GET /organisation").length, 1);
  assert.equal(many.reports[0].totals.grand.coins, "9");
  assert.equal(many.reports[0].period.pbp, -2);
  assert.equal(many.reports[1].totals.grand.coins, "14.600678901234567890");
});

Deno.test("a server total that disagrees is a mismatch that names where", async () => {
  const fake = fakeApi(dataset(), { skewProduct: ID("product", 3) });
  const { report } = await collectCharges(context(fake.api), {
    scope: { kind: "organisation", ref: "=Evil Org" },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(report.reconciliation.ok, false);
  assert.equal(report.reconciliation.mismatches.length, 1);
  const m = report.reconciliation.mismatches[0];
  assert.match(m.where, new RegExp(`product ${ID("product", 3)} \\(Gamma\\) total`));
  assert.equal(m.computed, "12.345678901234567890");
  assert.equal(m.server, "12.355678901234567890");
});

Deno.test("organisation totals refused: product totals still checked, the rest stated as not checked", async () => {
  const fake = fakeApi(dataset(), { orgCharges: "refused" });
  const { report, notes } = await collectCharges(context(fake.api), {
    scope: { kind: "organisation", ref: "=Evil Org" },
    period: { pbp: -1 },
  }, { now: NOW });
  const rec = report.reconciliation;
  assert.equal(rec.ok, true, JSON.stringify(rec));
  // Three products, each compared on its total only (no unit summary in this scope).
  assert.equal(rec.checked, 3);
  assert.deepEqual(rec.unchecked, [
    `organisation ${
      ID("org", 1)
    } ("=Evil Org"): unit and organisation totals not available to this account (HTTP 403)`,
  ]);
  assert.deepEqual(notes, [], "stated in the report, not as a loose note");
});

Deno.test("nothing that could be compared: not reconciled, with the reason", async () => {
  // Biology without products, and its totals refused: no total confirms the report.
  const fake = fakeApi(
    dataset().filter((p) => p.product.organisation.id !== ORGS[1].id),
    { orgCharges: "refused" },
  );
  const { report } = await collectCharges(context(fake.api), {
    scope: { kind: "organisation", ref: "Biology" },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(report.rowCount, 0);
  assert.deepEqual(report.reconciliation, {
    ok: false,
    checked: 0,
    mismatches: [],
    unchecked: [
      `organisation ${
        ID("org", 2)
      } ("Biology"): unit and organisation totals not available to this account (HTTP 403)`,
    ],
  });
  assert.equal(
    reconciliationProblem(report.reconciliation),
    `no total could be compared with the server's (organisation ${
      ID("org", 2)
    } ("Biology"): unit and organisation totals not available to this account (HTTP 403))`,
  );

  // The same organisation with its totals readable: the zero totals are confirmed.
  const readable = fakeApi(dataset().filter((p) => p.product.organisation.id !== ORGS[1].id));
  const confirmed = await collectCharges(context(readable.api), {
    scope: { kind: "organisation", ref: "Biology" },
    period: { pbp: -1 },
  }, { now: NOW });
  assert.equal(confirmed.report.reconciliation.ok, true);
  assert.ok(confirmed.report.reconciliation.checked > 0);
});

Deno.test("a malformed answer to a call that may be refused fails the collection, never 'not checked'", async () => {
  const fake = fakeApi(dataset(), { orgCharges: "malformed" });
  await assert.rejects(
    collectCharges(context(fake.api), {
      scope: { kind: "organisation", ref: "=Evil Org" },
      period: { pbp: -1 },
    }, { now: NOW }),
    (e: unknown) =>
      e instanceof ProtocolError && /not OrganisationChargesGetResponse/.test(e.message),
  );
});

Deno.test("an answer for another period than the dates asked for is a ProtocolError, not a report", async () => {
  const fake = fakeApi(dataset(), { ignoreDates: true });
  await assert.rejects(
    collectCharges(context(fake.api), {
      scope: { kind: "product", ref: "Gamma" },
      period: { from: "2026-10-01", until: "2026-11-01" },
    }, { now: NOW }),
    (e: unknown) =>
      e instanceof ProtocolError &&
      e.message.includes("when asked for 2026-10-01 to 2026-11-01 (excl.)") &&
      /passes the from\/until query parameters on/.test(e.message),
  );
});

Deno.test("a busy server (429 after retries) fails the collection: 'not now' is not 'not yours'", async () => {
  const fake = fakeApi(dataset(), { orgCharges: "busy" });
  await assert.rejects(
    collectCharges(context(fake.api), {
      scope: { kind: "organisation", ref: "=Evil Org" },
      period: { pbp: -1 },
    }, { now: NOW }),
    (e: unknown) => e instanceof ApiError && e.status === 429,
  );
});

Deno.test("unknown and ambiguous names are usage errors listing the candidates", async () => {
  const fake = fakeApi(dataset());
  const ctx = context(fake.api);
  await assert.rejects(
    collectCharges(ctx, { scope: { kind: "unit", ref: "Lab" }, period: { pbp: -1 } }),
    (e: unknown) =>
      e instanceof UsageError && /ambiguous/.test(e.message) &&
      e.message.includes(ID("unit", 1)) && e.message.includes(ID("unit", 3)) &&
      /give the id/.test(e.message),
  );
  await assert.rejects(
    collectCharges(ctx, { scope: { kind: "product", ref: "Alpha" }, period: { pbp: -1 } }),
    (e: unknown) => e instanceof UsageError && /ambiguous \(2 match\)/.test(e.message),
  );
  await assert.rejects(
    collectCharges(ctx, { scope: { kind: "organisation", ref: "biology" }, period: { pbp: -1 } }),
    (e: unknown) =>
      e instanceof UsageError && /Unknown organisation "biology"/.test(e.message) &&
      /"Biology \(org-/.test(e.message) && /case matters/.test(e.message),
  );
  // A typo lists the nearest name first, not the listing order.
  await assert.rejects(
    collectCharges(ctx, { scope: { kind: "organisation", ref: "Biolgy" }, period: { pbp: -1 } }),
    (e: unknown) => e instanceof UsageError && /candidates: "Biology \(org-/.test(e.message),
  );
  await assert.rejects(
    collectCharges(ctx, {
      scope: { kind: "organisation", ref: ID("org", 9) },
      period: { pbp: -1 },
    }),
    (e: unknown) => e instanceof UsageError && /Unknown organisation id/.test(e.message),
  );
  await assert.rejects(
    collectCharges(ctx, { scope: { kind: "product", ref: ID("product", 9) }, period: { pbp: -1 } }),
    (e: unknown) => e instanceof UsageError && /Unknown product id/.test(e.message),
  );
  assert.ok(!fake.calls.some((c) => c.startsWith("GET /charges")), "nothing collected");
});

Deno.test("a failing product request fails the collection with an ApiError naming it", async () => {
  const fake = fakeApi(dataset(), { failProduct: ID("product", 2) });
  await assert.rejects(
    collectCharges(context(fake.api), {
      scope: { kind: "all" },
      period: { pbp: -1 },
    }, { concurrency: 1 }),
    (e: unknown) =>
      e instanceof ApiError && e.status === 500 && e.message.includes(ID("product", 2)),
  );
  // With one request in flight, nothing after the failure was started.
  assert.ok(!fake.calls.includes(`GET /charges/product/${ID("product", 4)}`));
});

Deno.test("requests stay within the concurrency bound and progress reaches the total", async () => {
  const many: FakeProduct[] = [];
  for (let i = 0; i < 30; i++) many.push(product(i % 9 + 1, `P${i}`, 1 + (i % 3), [P("1")]));
  many.forEach((p, i) => p.product.product.id = `product-x-${i}`);
  const fake = fakeApi(many, { delayMs: 2 });
  const seen: [number, number][] = [];
  const { report } = await collectCharges(context(fake.api), {
    scope: { kind: "all" },
    period: { pbp: -1 },
  }, { concurrency: 3, onProgress: (d, t) => seen.push([d, t]) });
  assert.ok(fake.maxInFlight() <= 3, `max in flight ${fake.maxInFlight()}`);
  assert.ok(fake.maxInFlight() >= 2);
  assert.equal(report.totals.grand.coins, "30");
  const last = seen[seen.length - 1];
  assert.equal(last[0], last[1]);
});

Deno.test("parseScope reads the scope word and its reference", () => {
  assert.deepEqual(parseScope("org", "X"), { kind: "organisation", ref: "X" });
  assert.deepEqual(parseScope("all", undefined), { kind: "all" });
  assert.throws(() => parseScope("team", "X"), /Unknown scope "team"/);
  assert.throws(() => parseScope("unit", undefined), /needs an id or exact name/);
  assert.throws(() => parseScope("all", "X"), /takes no id or name/);
});

Deno.test("mapPool keeps order and bounds concurrency; createLimiter stops on error", async () => {
  let active = 0;
  let peak = 0;
  const out = await mapPool([5, 1, 4, 2, 3], async (n) => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, n));
    active--;
    return n * 10;
  }, { concurrency: 2 });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
  await assert.rejects(
    mapPool([1, 2, 3], (n) => n === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(n)),
    /boom/,
  );

  const limiter = createLimiter(1, { stopOnError: true });
  const started: number[] = [];
  const job = (n: number, fail = false) =>
    limiter.run(() => {
      started.push(n);
      return fail ? Promise.reject(new Error(`job ${n} failed`)) : Promise.resolve(n);
    });
  const results = await Promise.allSettled([job(1), job(2, true), job(3), job(4)]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "rejected", "rejected"]);
  assert.deepEqual(started, [1, 2], "nothing queued after the failure ran");
  await assert.rejects(job(5), /job 2 failed/);
});

Deno.test("the reconciliation line counts its checks in words and says why nothing compared", () => {
  const report = (checked: number) =>
    ({ reconciliation: { ok: true, checked, mismatches: [] } }) as unknown as ChargeReport;
  assert.equal(reconciliationText(report(1)), "OK (1 check)");
  assert.equal(reconciliationText(report(42)), "OK (42 checks)");
  assert.equal(
    reconciliationProblem({ ok: false, checked: 0, mismatches: [] }),
    "no total could be compared with the server's (the server gave no totals for this scope: " +
      "does the account used see any product in it?)",
  );
});
