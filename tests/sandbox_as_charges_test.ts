import assert from "node:assert/strict";
import Big from "big.js";
import { type TestAsServer, withTestAsServer } from "../sandbox/as/testing.ts";
import { DEMO_ADA, DEMO_ADMIN, DEMO_CHEN, DEMO_GRACE, DEMO_OSCAR } from "../sandbox/data/users.ts";
import { oracleFixed } from "./fixtures/coin_oracle.ts";

const NOW = "2026-03-01T00:00:00Z";

function orgsOf(s: TestAsServer) {
  return [...s.state.orgs.values()];
}

const FOUR_DECIMALS = /^\d+\.\d{4}$/;

function summaryCoins(summary: { type: string; coins: string }[], type: string): string {
  const entry = summary.find((e) => e.type === type);
  assert.ok(entry, `summary has ${type}`);
  return entry.coins;
}

Deno.test("charges: totals agree to the last digit across product, unit, organisation and /charges", async () => {
  await withTestAsServer({ seed: 7, now: "2026-03-14T09:30:00Z" }, async (s) => {
    for (const query of ["", "?pbp=-1", "?pbp=-23", "?from=2025-12-20&until=2026-02-03"]) {
      const all = await s.call(DEMO_ADMIN, `/charges${query}`);
      assert.equal(all.status, 200);
      // Expected totals come from big.js (./fixtures/coin_oracle.ts), not from the sandbox's arithmetic.
      let grand = new Big(0);
      let grandCount = 0;
      for (const org of orgsOf(s)) {
        const orgSummary = all.body.organisation_charges.find(
          (o: { organisation_id: string }) => o.organisation_id === org.id,
        );
        assert.ok(orgSummary, `org ${org.id} listed in /charges`);
        assert.equal(orgSummary.name, org.name);
        let orgTotal = new Big(0);
        const orgBody = org.isDefault
          ? null
          : (await s.call(DEMO_ADMIN, `/charges/organisation/${org.id}${query}`)).body;
        for (const unit of s.state.unitsOf(org.id)) {
          const u = (await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}${query}`)).body;
          assert.match(u.coins, FOUR_DECIMALS);
          let unitTotal = new Big(0);
          let unitCount = 0;
          for (const product of s.state.productsOf(unit.id)) {
            const p = (await s.call(DEMO_ADMIN, `/charges/product/${product.id}${query}`)).body;
            const items = [
              ...p.processing_charges.map((c: { charge: { coins: string } }) => c.charge.coins),
              ...p.storage_charges.items.map((i: { coins: string }) => i.coins),
            ];
            assert.equal(oracleFixed(items), p.coins, "product = sum of its items");
            assert.equal(p.count, items.length);
            assert.equal(p.storage_charges.num_items, p.storage_charges.items.length);
            assert.equal(p.from, u.from);
            assert.equal(p.until, u.until);
            const inUnit = u.products.find((x: { product_id: string }) =>
              x.product_id === product.id
            );
            assert.equal(
              oracleFixed(inUnit.charges.map((c: { coins: string }) => c.coins)),
              p.coins,
            );
            unitTotal = unitTotal.plus(p.coins);
            unitCount += p.count;
          }
          assert.equal(
            unitTotal.toFixed(4),
            u.coins,
            `unit ${unit.name} = sum of products`,
          );
          assert.equal(u.count, unitCount);
          const summed = oracleFixed([
            summaryCoins(u.summary.charges, "PROCESSING"),
            summaryCoins(u.summary.charges, "STORAGE"),
          ]);
          assert.equal(summed, u.coins);
          if (orgBody) {
            const inOrg = orgBody.unit_charges.find((x: { unit_id: string }) =>
              x.unit_id === unit.id
            );
            assert.deepEqual(inOrg.summary, u.summary.charges);
            assert.equal(inOrg.from, u.from);
            assert.equal(inOrg.until, u.until);
            assert.equal(inOrg.billing_day, unit.billingDay);
          }
          orgTotal = orgTotal.plus(u.coins);
          grandCount += u.count;
        }
        if (orgBody) {
          assert.equal(
            orgBody.coins,
            orgTotal.toFixed(4),
            `org ${org.name} = sum of units`,
          );
        }
        const orgFromAll = oracleFixed([
          summaryCoins(orgSummary.summary, "PROCESSING"),
          summaryCoins(orgSummary.summary, "STORAGE"),
        ]);
        assert.equal(orgFromAll, orgTotal.toFixed(4));
        grand = grand.plus(orgTotal);
      }
      assert.equal(
        all.body.coins,
        grand.toFixed(4),
        `/charges${query} = sum of organisations`,
      );
      assert.equal(all.body.count, grandCount);
      assert.ok(grand.gt(0), "there are charges to add up");
    }
  });
});

Deno.test("charges: product charge items have the documented shape", async () => {
  await withTestAsServer({ seed: 3, now: "2026-03-20T12:00:00Z" }, async (s) => {
    const product = [...s.state.products.values()].find((p) =>
      p.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION" && p.claim
    )!;
    const unit = s.state.units.get(product.unitId)!;
    const r = await s.call(DEMO_ADMIN, `/charges/product/${product.id}?pbp=-2`);
    assert.equal(r.status, 200);
    const b = r.body;
    assert.deepEqual(Object.keys(b).sort(), [
      "billing_day",
      "claim",
      "claimable",
      "coins",
      "count",
      "from",
      "processing_charges",
      "product_id",
      "product_type",
      "storage_charges",
      "until",
    ]);
    assert.equal(b.product_id, product.id);
    assert.equal(b.product_type, product.type);
    assert.equal(b.billing_day, unit.billingDay);
    assert.equal(b.claimable, true);
    assert.deepEqual(b.claim, product.claim);
    assert.match(b.from, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(b.processing_charges.length, s.state.sizes.processingChargesPerPeriod);
    for (const pc of b.processing_charges) {
      assert.equal(typeof pc.merchant_name, "string");
      assert.equal(pc.merchant_kind, "DATA_MANAGER");
      assert.equal(typeof pc.merchant_api_hostname, "string");
      assert.equal(pc.final, true, "two periods back everything is final");
      assert.match(pc.closed, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const c = pc.charge;
      assert.ok(Number.isInteger(c.id) && Number.isInteger(c.sqn));
      assert.equal(typeof c.username, "string");
      assert.match(c.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(c.coins, /^\d+\.\d{1,4}$/);
      assert.ok(c.timestamp.slice(0, 10) >= b.from && c.timestamp.slice(0, 10) < b.until);
      for (const key of ["job_collection", "job_job", "job_version", "started"]) {
        assert.equal(typeof c.additional_data[key], "string", key);
      }
    }
    const days = Math.round((Date.parse(b.until) - Date.parse(b.from)) / 86_400_000);
    assert.equal(b.storage_charges.num_items, days, "one storage item per day");
    for (const item of b.storage_charges.items) {
      assert.ok(Number.isInteger(item.item_number));
      assert.match(item.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(item.coins, /^\d+\.\d{4}$/);
      assert.equal(typeof item.additional_data.peak_bytes, "number");
      assert.equal(typeof item.closed, "string");
      assert.equal(item.current_burn_rate, undefined);
    }
    const dates = b.storage_charges.items.map((i: { date: string }) => i.date);
    assert.deepEqual(dates, [...new Set(dates)].sort());
  });
});

Deno.test("charges: the current period ends at now, today's storage item and the newest job are open", async () => {
  await withTestAsServer({ seed: 5, now: "2026-03-20T12:00:00Z" }, async (s) => {
    let sawRecentNotFinal = false;
    for (const product of s.state.products.values()) {
      const b = (await s.call(DEMO_ADMIN, `/charges/product/${product.id}`)).body;
      const items = b.storage_charges.items;
      const today = items[items.length - 1];
      assert.equal(today.date, "2026-03-20");
      assert.equal(today.closed, undefined, "today's item is open");
      assert.match(today.current_burn_rate, /^\d+\.\d+$/);
      assert.equal(typeof today.additional_data.current_bytes, "number");
      for (const item of items.slice(0, -1)) assert.equal(typeof item.closed, "string");
      const pcs = b.processing_charges;
      if (product.type === "DATA_MANAGER_STORAGE_SUBSCRIPTION") {
        assert.equal(pcs.length, 0, "storage subscriptions have no processing charges");
        continue;
      }
      for (const pc of pcs) assert.ok(pc.charge.timestamp < "2026-03-20T12:00:00Z");
      if (pcs.length === 0) continue;
      const newest = pcs[pcs.length - 1];
      assert.equal(newest.closed, undefined, "the newest job is still running");
      assert.equal(newest.final, false);
      for (const pc of pcs.slice(0, -1)) {
        if (pc.closed && !pc.final) sawRecentNotFinal = true;
        if (pc.final) assert.ok(pc.closed, "final implies closed");
      }
    }
    const r = await s.call(
      DEMO_ADMIN,
      `/charges/product/${[...s.state.products.keys()][0]}?pbp=-3`,
    );
    assert.ok(r.body.processing_charges.every((pc: { final: boolean }) => pc.final));
    assert.ok(sawRecentNotFinal, "charges closed within the last five days are not final yet");
  });
});

Deno.test("charges: period boundaries across month ends and the year end", async () => {
  const cases: { now: string; day: number; pbp: number; from: string; until: string }[] = [
    { now: "2026-03-01T00:00:00Z", day: 28, pbp: 0, from: "2026-02-28", until: "2026-03-28" },
    { now: "2026-03-01T00:00:00Z", day: 28, pbp: -1, from: "2026-01-28", until: "2026-02-28" },
    { now: "2026-03-01T00:00:00Z", day: 1, pbp: 0, from: "2026-03-01", until: "2026-04-01" },
    { now: "2026-03-01T00:00:00Z", day: 1, pbp: -1, from: "2026-02-01", until: "2026-03-01" },
    { now: "2026-02-28T23:59:59Z", day: 1, pbp: 0, from: "2026-02-01", until: "2026-03-01" },
    { now: "2026-01-10T08:00:00Z", day: 15, pbp: 0, from: "2025-12-15", until: "2026-01-15" },
    { now: "2026-01-10T08:00:00Z", day: 15, pbp: -1, from: "2025-11-15", until: "2025-12-15" },
    { now: "2026-01-01T00:00:00Z", day: 1, pbp: -1, from: "2025-12-01", until: "2026-01-01" },
    { now: "2026-01-01T00:00:00Z", day: 28, pbp: 0, from: "2025-12-28", until: "2026-01-28" },
    { now: "2026-01-01T00:00:00Z", day: 28, pbp: -23, from: "2024-01-28", until: "2024-02-28" },
  ];
  for (const c of cases) {
    await withTestAsServer({ seed: 2, now: c.now }, async (s) => {
      const unit = [...s.state.units.values()].find((u) => u.billingDay === c.day && !u.personal)!;
      assert.ok(unit, `a demo unit bills on day ${c.day}`);
      const u = (await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}?pbp=${c.pbp}`)).body;
      assert.deepEqual([u.from, u.until], [c.from, c.until], JSON.stringify(c));
      for (const product of s.state.productsOf(unit.id)) {
        const p = (await s.call(DEMO_ADMIN, `/charges/product/${product.id}?pbp=${c.pbp}`)).body;
        for (const item of p.storage_charges.items) {
          assert.ok(item.date >= c.from && item.date < c.until, item.date);
        }
        for (const pc of p.processing_charges) {
          const t = Date.parse(pc.charge.timestamp);
          assert.ok(t >= Date.parse(c.from) && t < Date.parse(c.until) && t < Date.parse(c.now));
        }
        if (c.pbp < 0) {
          const days = Math.round((Date.parse(c.until) - Date.parse(c.from)) / 86_400_000);
          assert.equal(p.storage_charges.num_items, days);
        }
      }
    });
  }
});

Deno.test("charges: adjacent periods neither overlap nor leave gaps", async () => {
  await withTestAsServer({ seed: 4, now: "2026-03-01T06:00:00Z" }, async (s) => {
    const product = [...s.state.products.values()].find((p) =>
      p.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION"
    )!;
    const p1 = (await s.call(DEMO_ADMIN, `/charges/product/${product.id}?pbp=-1`)).body;
    const p2 = (await s.call(DEMO_ADMIN, `/charges/product/${product.id}?pbp=-2`)).body;
    assert.equal(p2.until, p1.from);
    const both =
      (await s.call(DEMO_ADMIN, `/charges/product/${product.id}?from=${p2.from}&until=${p1.until}`))
        .body;
    assert.equal(both.coins, oracleFixed([p1.coins, p2.coins]));
    assert.equal(both.count, p1.count + p2.count);
    const ids = both.processing_charges.map((pc: { charge: { id: number } }) => pc.charge.id);
    assert.equal(new Set(ids).size, ids.length, "charge ids are unique");
  });
});

Deno.test("charges: from/until select items by date; one-sided ranges and formats", async () => {
  await withTestAsServer({ seed: 6, now: "2026-03-15T10:00:00Z" }, async (s) => {
    const product = [...s.state.products.values()][0];
    const call = (q: string) => s.call(DEMO_ADMIN, `/charges/product/${product.id}${q}`);
    const day = (await call("?from=2026-02-11&until=2026-02-12")).body;
    assert.equal(day.from, "2026-02-11");
    assert.equal(day.until, "2026-02-12");
    assert.equal(day.storage_charges.num_items, 1);
    assert.equal(day.storage_charges.items[0].date, "2026-02-11");
    const words = (await call("?from=11%20February%202026&until=12%20Feb%202026")).body;
    assert.deepEqual(words, day, "dateutil-style dates read the same");
    const iso = (await call("?from=2026-02-11T00:00:00Z&until=2026-02-12T00:00:00%2B00:00")).body;
    assert.deepEqual(iso, day);
    const onlyFrom = (await call("?from=2026-03-10")).body;
    assert.equal(onlyFrom.until, "2026-03-16", "only from: up to the end of today");
    assert.equal(onlyFrom.storage_charges.num_items, 6);
    const onlyUntil = await call("?until=2026-03-10");
    assert.equal(onlyUntil.status, 200);
    const unit = s.state.units.get(product.unitId)!;
    assert.equal(
      onlyUntil.body.from,
      (await call("?pbp=-23")).body.from,
      `only until: from the oldest period (day ${unit.billingDay})`,
    );
  });
});

Deno.test("charges: bad pbp, dates and combinations are 400 with an error body", async () => {
  await withTestAsServer({ seed: 1, now: NOW }, async (s) => {
    const product = [...s.state.products.values()][0];
    const unit = s.state.units.get(product.unitId)!;
    const org = s.state.orgs.get(unit.orgId)!;
    const paths = [
      `/charges/product/${product.id}`,
      `/charges/unit/${unit.id}`,
      `/charges/organisation/${org.id}`,
      "/charges",
    ];
    const bad = [
      "pbp=1",
      "pbp=-24",
      "pbp=-1.5",
      "pbp=abc",
      "pbp=",
      "from=yesterday",
      "until=2026-02-30",
      "from=2026-02-10&until=2026-02-10",
      "from=2026-02-11&until=2026-02-10",
      "pbp=-1&from=2026-01-01",
      "pbp=0&until=2026-01-01",
    ];
    for (const path of paths) {
      for (const q of bad) {
        const r = await s.call(DEMO_ADMIN, `${path}?${q}`);
        assert.equal(r.status, 400, `${path}?${q}`);
        assert.equal(typeof r.body.error, "string");
        assert.match(r.body.error, /^[A-Z]/);
      }
      for (const q of ["pbp=0", "pbp=-23", "pbp=-0", "from=2026-01-01", "until=2026-02-01"]) {
        assert.equal((await s.call(DEMO_ADMIN, `${path}?${q}`)).status, 200, `${path}?${q}`);
      }
    }
    const future = await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}?from=2026-04-01`);
    assert.equal(future.status, 400);
    assert.match(future.body.error, /after today/);
    const ancient = await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}?until=2020-01-01`);
    assert.equal(ancient.status, 400);
    assert.match(ancient.body.error, /before the oldest billing period/);
    const noPbp = (await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}`)).body;
    const pbp0 = (await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}?pbp=0`)).body;
    assert.deepEqual(noPbp, pbp0, "no parameters = current period");
  });
});

Deno.test("charges: organisation charges use each unit's own period with pbp", async () => {
  await withTestAsServer({ seed: 1, now: "2026-03-10T00:00:00Z" }, async (s) => {
    const org = orgsOf(s).find((o) => !o.isDefault)!;
    const b = (await s.call(DEMO_ADMIN, `/charges/organisation/${org.id}?pbp=-1`)).body;
    assert.deepEqual(Object.keys(b).sort(), [
      "coins",
      "name",
      "organisation_id",
      "summary",
      "unit_charges",
    ]);
    const periods = new Set(b.unit_charges.map((u: { from: string }) => u.from));
    assert.ok(periods.size > 1, "units with different billing days have different periods");
    for (const u of b.unit_charges) {
      assert.deepEqual(Object.keys(u).sort(), [
        "billing_day",
        "from",
        "name",
        "summary",
        "unit_id",
        "until",
      ]);
      assert.equal(Number(u.from.slice(8)), u.billing_day);
    }
  });
});

Deno.test("charges: who may read (admin, members, unit-only members, outsiders, no token)", async () => {
  await withTestAsServer({ seed: 1, now: NOW }, async (s) => {
    const [org0, org1] = orgsOf(s).filter((o) => !o.isDefault);
    const unitOfOrg1 = s.state.unitsOf(org1.id)[0]; // Ada is a member of this unit only
    const otherUnitOfOrg1 = s.state.unitsOf(org1.id)[1];
    const productOfUnit = s.state.productsOf(unitOfOrg1.id)[0];
    const unitOfOrg0 = s.state.unitsOf(org0.id)[0];
    const expect = async (user: string | null, path: string, status: number) => {
      const r = await s.call(user, path);
      assert.equal(r.status, status, `${user} ${path}`);
      if (status >= 400 && status !== 401) assert.equal(typeof r.body.error, "string");
    };
    await expect(DEMO_ADMIN, "/charges", 200);
    await expect(DEMO_ADA, "/charges", 403);
    await expect(null, "/charges", 401);
    await expect(DEMO_ADA, `/charges/organisation/${org0.id}`, 200); // owner
    await expect(DEMO_CHEN, `/charges/organisation/${org0.id}`, 200); // listed member
    await expect(DEMO_GRACE, `/charges/organisation/${org0.id}`, 403);
    await expect(DEMO_OSCAR, `/charges/organisation/${org0.id}`, 403);
    await expect(DEMO_ADA, `/charges/organisation/${org1.id}`, 403); // unit member only
    await expect(DEMO_ADA, `/charges/unit/${unitOfOrg1.id}`, 200);
    await expect(DEMO_ADA, `/charges/product/${productOfUnit.id}`, 200);
    await expect(DEMO_ADA, `/charges/unit/${otherUnitOfOrg1.id}`, 403);
    await expect(DEMO_GRACE, `/charges/unit/${unitOfOrg1.id}`, 200); // org owner sees its units
    await expect(DEMO_CHEN, `/charges/unit/${unitOfOrg0.id}`, 200); // org member sees its units
    await expect(DEMO_OSCAR, `/charges/unit/${unitOfOrg0.id}`, 403);
    await expect(DEMO_OSCAR, `/charges/product/${productOfUnit.id}`, 403);
    await expect(null, `/charges/product/${productOfUnit.id}`, 401);
    await expect(DEMO_ADMIN, `/charges/organisation/${s.state.defaultOrg().id}`, 403);
    await expect(DEMO_ADMIN, "/charges/product/product-00000000-0000-4000-8000-000000000000", 404);
    await expect(DEMO_ADMIN, "/charges/unit/unit-00000000-0000-4000-8000-000000000000", 404);
    await expect(DEMO_ADMIN, "/charges/organisation/org-00000000-0000-4000-8000-000000000000", 404);
    const personal = s.state.personalUnitOf(DEMO_ADA)!;
    await expect(DEMO_ADA, `/charges/unit/${personal.id}`, 200);
    await expect(DEMO_CHEN, `/charges/unit/${personal.id}`, 403);
    const u = (await s.call(DEMO_ADA, `/charges/unit/${unitOfOrg1.id}`)).body;
    assert.equal(u.caller_is_member, true);
    const g = (await s.call(DEMO_GRACE, `/charges/unit/${unitOfOrg1.id}`)).body;
    assert.equal(
      g.caller_is_member,
      true,
      "Grace owns this unit (she owns its organisation and created it)",
    );
  });
});

Deno.test("charges: same seed and clock give identical charges; another seed differs", async () => {
  const bodies: string[] = [];
  for (const seed of [11, 11, 12]) {
    await withTestAsServer({ seed, now: "2026-03-05T12:00:00Z" }, async (s) => {
      const product = [...s.state.products.values()][0];
      const p = await s.call(DEMO_ADMIN, `/charges/product/${product.id}?pbp=-4`);
      const all = await s.call(DEMO_ADMIN, "/charges?pbp=-2");
      bodies.push(product.id + p.text + all.text);
    });
  }
  assert.equal(bodies[0], bodies[1]);
  assert.notEqual(bodies[0], bodies[2]);
});

Deno.test("charges: moving the clock reveals new items without changing history", async () => {
  await withTestAsServer({ seed: 9, now: "2026-03-05T12:00:00Z" }, async (s) => {
    const product = [...s.state.products.values()][0];
    const before =
      (await s.call(DEMO_ADMIN, `/charges/product/${product.id}?from=2026-01-01&until=2026-03-01`))
        .body;
    s.state.setNow("2026-04-20T00:00:00Z");
    const after =
      (await s.call(DEMO_ADMIN, `/charges/product/${product.id}?from=2026-01-01&until=2026-03-01`))
        .body;
    assert.equal(after.coins, before.coins);
    assert.deepEqual(
      after.storage_charges.items.map((i: { coins: string }) => i.coins),
      before.storage_charges.items.map((i: { coins: string }) => i.coins),
    );
    const current = (await s.call(DEMO_ADMIN, `/charges/product/${product.id}`)).body;
    assert.equal(current.storage_charges.items.at(-1).date, "2026-04-20");
  });
});

Deno.test("charges: large sandboxes generate on demand", async () => {
  await withTestAsServer({
    seed: 1,
    now: NOW,
    sizes: {
      organisations: 10,
      unitsPerOrganisation: 10,
      productsPerUnit: 5,
      processingChargesPerPeriod: 20,
    },
  }, async (s) => {
    assert.equal(s.state.unitsOf(orgsOf(s)[3].id).length, 10);
    assert.ok(s.state.products.size >= 500);
    const product = [...s.state.products.values()][250];
    const r = await s.call(DEMO_ADMIN, `/charges/product/${product.id}?pbp=-1`);
    assert.equal(r.status, 200);
    assert.ok(r.body.count > 0);
  });
});

Deno.test("charges: unit and all-organisation responses have the documented fields", async () => {
  await withTestAsServer({ seed: 1, now: "2026-03-10T00:00:00Z" }, async (s) => {
    const unit = [...s.state.units.values()].find((u) => !u.personal)!;
    const u = (await s.call(DEMO_ADMIN, `/charges/unit/${unit.id}?pbp=-1`)).body;
    assert.deepEqual(Object.keys(u).sort(), [
      "billing_day",
      "caller_is_member",
      "coins",
      "count",
      "created",
      "from",
      "name",
      "owner_id",
      "private",
      "products",
      "summary",
      "unit_id",
      "until",
    ]);
    assert.equal(u.unit_id, unit.id);
    assert.equal(u.name, unit.name);
    assert.equal(u.owner_id, unit.ownerId);
    assert.equal(u.private, false);
    assert.equal(u.created, unit.created);
    assert.equal(u.billing_day, unit.billingDay);
    assert.equal(u.caller_is_member, false, "the admin is not a member of this unit");
    assert.deepEqual(Object.keys(u.summary), ["charges"]);
    assert.deepEqual(u.summary.charges.map((c: { type: string }) => c.type), [
      "PROCESSING",
      "STORAGE",
    ]);
    for (const p of u.products) {
      assert.deepEqual(Object.keys(p).sort(), ["charges", "product_id", "product_type"]);
      for (const c of p.charges) assert.match(c.coins, FOUR_DECIMALS);
    }
    assert.deepEqual(
      u.products.map((p: { product_id: string }) => p.product_id),
      s.state.productsOf(unit.id).map((p) => p.id),
    );
    const all = (await s.call(DEMO_ADMIN, "/charges?pbp=-1")).body;
    assert.deepEqual(Object.keys(all).sort(), [
      "coins",
      "count",
      "organisation_charges",
      "summary",
    ]);
    assert.match(all.coins, FOUR_DECIMALS);
    assert.ok(Number.isInteger(all.count));
    for (const o of all.organisation_charges) {
      assert.deepEqual(Object.keys(o).sort(), ["name", "organisation_id", "summary"]);
      assert.deepEqual(o.summary.map((c: { type: string }) => c.type), ["PROCESSING", "STORAGE"]);
    }
    assert.equal(
      all.organisation_charges.length,
      s.state.orgs.size,
      "every organisation, the Default one included",
    );
  });
});
