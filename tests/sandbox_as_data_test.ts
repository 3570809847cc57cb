import assert from "node:assert/strict";
import Big from "big.js";
import { USERNAME_PATTERN } from "../sandbox/data/users.ts";
import { startSandbox } from "../sandbox/mod.ts";
import {
  billingPeriod,
  formatDay,
  parseDateParam,
  periodsOverlapping,
} from "../sandbox/periods.ts";
import { createSandboxState } from "../sandbox/state.ts";
import { oracleFixed } from "./fixtures/coin_oracle.ts";

const day = (d: Date) => formatDay(d);

Deno.test("periods: billing periods are [billing day, same day next month) in UTC", () => {
  const p = (billingDay: number, now: string, pbp = 0) => {
    const r = billingPeriod(billingDay, new Date(now), { pbp });
    return [day(r.from), day(r.until)];
  };
  assert.deepEqual(p(28, "2026-03-01T00:00:00Z"), ["2026-02-28", "2026-03-28"]);
  assert.deepEqual(p(28, "2026-02-27T23:59:59Z"), ["2026-01-28", "2026-02-28"]);
  assert.deepEqual(
    p(28, "2026-02-28T00:00:00Z"),
    ["2026-02-28", "2026-03-28"],
    "the billing day starts a period",
  );
  assert.deepEqual(p(1, "2026-03-01T00:00:00Z"), ["2026-03-01", "2026-04-01"]);
  assert.deepEqual(p(1, "2026-01-01T00:00:00Z", -1), ["2025-12-01", "2026-01-01"]);
  assert.deepEqual(p(15, "2026-01-10T00:00:00Z"), ["2025-12-15", "2026-01-15"]);
  assert.deepEqual(p(15, "2026-01-10T00:00:00Z", -23), ["2024-01-15", "2024-02-15"]);
  assert.deepEqual(p(28, "2024-02-29T12:00:00Z"), ["2024-02-28", "2024-03-28"], "leap day");
  const periods = periodsOverlapping(10, {
    from: new Date("2025-12-20T00:00:00Z"),
    until: new Date("2026-02-10T00:00:00Z"),
  });
  assert.deepEqual(periods.map((x) => [day(x.from), day(x.until)]), [["2025-12-10", "2026-01-10"], [
    "2026-01-10",
    "2026-02-10",
  ]]);
});

Deno.test("periods: date parameters a user of dateutil would expect, and nothing else", () => {
  const iso = (t: string) => parseDateParam(t)?.toISOString() ?? null;
  assert.equal(iso("2021-12-01"), "2021-12-01T00:00:00.000Z");
  assert.equal(iso("2021-12-01T10:30"), "2021-12-01T10:30:00.000Z", "no zone means UTC");
  assert.equal(iso("2021-12-01T10:30:00+02:00"), "2021-12-01T08:30:00.000Z");
  assert.equal(iso("2021-12-01 10:30:00Z"), "2021-12-01T10:30:00.000Z");
  assert.equal(iso("1 December 2021"), "2021-12-01T00:00:00.000Z");
  assert.equal(iso("1st Dec 2021"), "2021-12-01T00:00:00.000Z");
  assert.equal(iso("December 1, 2021"), "2021-12-01T00:00:00.000Z");
  for (
    const bad of [
      "",
      "yesterday",
      "2021-02-30",
      "2021-13-01",
      "31 February 2021",
      "2021-12-01T25:00",
      "12/01/2021",
    ]
  ) {
    assert.equal(parseDateParam(bad), null, bad);
  }
});

Deno.test("demo data: the sizes, names, users and ids the brief asks for", () => {
  const state = createSandboxState({ seed: 1, now: "2026-03-01T00:00:00Z" });
  const orgs = [...state.orgs.values()];
  assert.equal(orgs.filter((o) => !o.isDefault).length, 3);
  const def = state.defaultOrg();
  assert.equal(def.name, "Default");
  assert.equal(def.ownerId, undefined);
  assert.ok(
    state.unitsOf(def.id).every((u) => u.personal),
    "the Default organisation holds personal units only",
  );
  const units = [...state.units.values()].filter((u) => !u.personal);
  assert.ok(units.length >= 8);
  const days = new Set(units.map((u) => u.billingDay));
  assert.ok(days.has(1) && days.has(28) && days.size >= 8);
  assert.ok([...state.units.values()].every((u) => u.billingDay >= 1 && u.billingDay <= 28));
  const products = [...state.products.values()];
  assert.ok(products.length >= 20);
  for (const p of products) {
    if (p.type === "DATA_MANAGER_STORAGE_SUBSCRIPTION") assert.equal(p.flavour, undefined);
    else assert.ok(p.flavour);
    assert.ok(p.limit >= p.allowance && p.allowance >= 1);
  }
  const names = [
    ...orgs.map((o) => o.name),
    ...units.map((u) => u.name),
    ...products.map((p) => p.name),
  ];
  assert.ok(names.some((n) => n.startsWith("=")));
  assert.ok(names.some((n) => n.includes(",")));
  assert.ok(names.some((n) => n.includes('"')));
  assert.ok(names.some((n) => /[^ -~]/.test(n)));
  assert.ok(state.merchants.every((m) => Number.isInteger(m.id) && m.kind === "DATA_MANAGER"));
  assert.ok(new Set([...state.assets.values()].map((a) => a.scope)).size >= 4);
  for (const u of state.users) assert.match(u.username, USERNAME_PATTERN);
  const roles = state.users.map((u) => u.roles.join("+"));
  assert.ok(roles.includes("account-server-admin+account-server-user"));
  assert.ok(roles.includes("account-server-evaluator"));
  assert.ok(state.users.filter((u) => u.roles.join() === "account-server-user").length >= 3);
  const belongs = (name: string) =>
    orgs.some((o) => o.ownerId === name || o.members.has(name)) ||
    [...state.units.values()].some((u) => u.ownerId === name || u.members.has(name));
  assert.ok(
    state.users.some((u) => u.roles.includes("account-server-user") && !belongs(u.username)),
    "an outsider",
  );
  assert.ok(state.users.some((u) => state.personalUnitOf(u.username)));
  const ids = [...orgs.map((o) => o.id), ...state.units.keys(), ...state.products.keys()];
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

Deno.test("demo data: deterministic from seed and clock; sizes are knobs and are checked", () => {
  const snapshot = (seed: number) => {
    const s = createSandboxState({ seed, now: "2026-03-01T00:00:00Z" });
    const product = [...s.products.values()][4];
    const charges = s.productCharges(product.id, s.unitPeriod(product.unitId, -5));
    return JSON.stringify({
      orgs: [...s.orgs.keys()],
      units: [...s.units.values()].map((u) => [u.id, u.name, u.billingDay]),
      charges,
    }, (_key, value) => typeof value === "bigint" ? `${value}n` : value);
  };
  assert.equal(snapshot(3), snapshot(3));
  assert.notEqual(snapshot(3), snapshot(4));
  const big = createSandboxState({
    seed: 1,
    now: "2026-03-01T00:00:00Z",
    sizes: { organisations: 10, unitsPerOrganisation: 10, productsPerUnit: 5 },
  });
  assert.equal(big.products.size, 500 + 3);
  const small = createSandboxState({
    seed: 1,
    now: "2026-03-01T00:00:00Z",
    sizes: { processingChargesPerPeriod: 0 },
  });
  const tier = [...small.products.values()].find((p) =>
    p.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION"
  )!;
  assert.equal(
    small.productCharges(tier.id, small.unitPeriod(tier.unitId, -1)).processing.length,
    0,
  );
  for (
    const sizes of [{ periods: 25 }, { organisations: -1 }, { productsPerUnit: 1.5 }, {
      organisations: 1000,
      unitsPerOrganisation: 1000,
    }]
  ) {
    assert.throws(() => createSandboxState({ sizes }), /Sandbox size/, JSON.stringify(sizes));
  }
  assert.throws(() => createSandboxState({ now: "not a date" }), /sandbox clock/);
});

Deno.test("demo data: storage coins are daily peak units times the default cost, exactly", () => {
  const state = createSandboxState({ seed: 2, now: "2026-03-01T00:00:00Z" });
  for (const product of [...state.products.values()].slice(0, 6)) {
    const c = state.productCharges(product.id, state.unitPeriod(product.unitId, -1));
    for (const item of c.storage) {
      const units = Math.ceil(Number(item.additional_data!.peak_bytes) / 1024 ** 3);
      // 0.0525 coins per started GiB, written with four places.
      assert.equal(item.coins, new Big("0.0525").times(units).toFixed(4), item.date);
    }
    assert.equal(
      new Big(c.storageTenK.toString()).div(10_000).toFixed(4),
      oracleFixed(c.storage.map((i) => i.coins)),
    );
  }
});

Deno.test("through startSandbox: a real Keycloak token reads AS charges", async () => {
  const sandbox = await startSandbox({ seed: 1, now: "2026-03-01T00:00:00Z", quiet: true });
  try {
    const user = sandbox.users.find((u) => u.roles.includes("account-server-admin"))!;
    const form = new URLSearchParams({
      grant_type: "password",
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      username: user.username,
      password: user.password,
    });
    const tokenRes = await fetch(
      `${sandbox.keycloakUrl}/realms/${sandbox.realm}/protocol/openid-connect/token`,
      { method: "POST", body: form },
    );
    assert.equal(tokenRes.status, 200);
    const token = (await tokenRes.json()).access_token;
    const res = await fetch(`${sandbox.asUrl}/charges`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.match(body.coins, /^\d+\.\d{4}$/);
    const anon = await fetch(`${sandbox.asUrl}/charges`);
    assert.equal(anon.status, 401);
    await anon.body?.cancel();
    const bad = await fetch(`${sandbox.asUrl}/charges`, {
      headers: { authorization: "Bearer not-a-jwt" },
    });
    assert.equal(bad.status, 401);
    await bad.body?.cancel();
  } finally {
    await sandbox.close();
  }
});
