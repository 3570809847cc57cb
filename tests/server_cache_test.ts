/**
 * The report server's caches (issue 16, items 1 and 2), over real HTTP: the report server
 * on port 0, the sandbox on port 0, and the sandbox's request counters as the witness of
 * what reached the Account Server.
 *
 * - A closed period is rendered once: the second download makes no charges request and
 *   carries `ETag`, `Content-Length` and `Cache-Control: private`; `If-None-Match` gives
 *   `304`; the file is byte for byte the first one; the archive does not list it.
 * - The open period (pbp 0, a range reaching past today) renders afresh every time.
 * - A report that does not reconcile is never cached.
 * - Two servers with different AS accounts sharing one store never answer each other's
 *   cached files.
 * - Listings are reused for their TTL per AS account (fake clock), fetched every time with
 *   TTL 0, one request in flight per key, and a failed listing is not kept.
 */

import assert from "node:assert/strict";
import Big from "big.js";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { AsApi } from "../client/as/mod.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import type { AccessTokenSource } from "../client/keycloak/token_source.ts";
import { createReportServer, type ReportServerCacheOptions } from "../reports/server/app.ts";
import { closedPeriodKey, etagMatches } from "../reports/server/download_cache.ts";
import { subjectOf } from "../reports/server/identity.ts";
import { createTtlCache } from "../reports/server/ttl_cache.ts";
import { openReportStore } from "../reports/store/open.ts";
import type { ReportStore } from "../reports/store/types.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { cacheFromEnv } from "../scripts/serve_wiring.ts";
import { ConfigError } from "../client/errors.ts";

const NOW = "2026-11-20T12:00:00Z";
const SECRET = "cache-test-secret-0123456789";
const AUTH = { authorization: `Bearer ${SECRET}` };

/** Counts of AS requests whose route contains `part`, since the last reset. */
function asCalls(sandbox: RunningSandbox, part: string): number {
  const byRoute = sandbox.stats().byRoute;
  return Object.entries(byRoute)
    .filter(([route]) => route.includes("/account-server-api") && route.includes(part))
    .reduce((n, [, count]) => n + count, 0);
}

function clientTokens(sandbox: RunningSandbox): AccessTokenSource {
  return new KeycloakTokenSource({
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
  });
}

function userTokens(sandbox: RunningSandbox, username: string): AccessTokenSource {
  const user = sandbox.users.find((u) => u.username === username);
  assert.ok(user, username);
  return new KeycloakTokenSource({
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    username: user.username,
    password: user.password,
  });
}

/** A report server over loopback; `get` sends the secret. */
function serve(
  sandbox: RunningSandbox,
  options: { tokens?: AccessTokenSource; store?: ReportStore; cache?: ReportServerCacheOptions },
) {
  const logged: string[] = [];
  const app = createReportServer({
    api: new AsApi({ url: sandbox.asUrl, warn: () => {} }),
    tokens: options.tokens ?? clientTokens(sandbox),
    sourceUrl: sandbox.asUrl,
    sandbox: true,
    store: options.store,
    now: () => new Date(NOW),
    auth: { tokens: [SECRET] },
    log: (line) => logged.push(line),
    cache: options.cache,
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    logged,
    get: (path: string, headers: Record<string, string> = {}, method = "GET") =>
      fetch(base + path, { method, headers: { ...AUTH, ...headers } }),
    close: () => server.shutdown(),
  };
}

/** An organisation owned by `owner` with products (the sandbox's demo data). */
function orgOwnedBy(sandbox: RunningSandbox, owner: string) {
  for (const org of sandbox.state.orgs.values()) {
    if (org.isDefault || org.ownerId !== owner) continue;
    const products = sandbox.state.unitsOf(org.id).flatMap((u) => sandbox.state.productsOf(u.id));
    if (products.length > 0) return org;
  }
  throw new Error(`no organisation of ${owner} with products`);
}

async function bytesOf(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("render cache over HTTP: closed periods once, open periods afresh, unreconciled never", async (t) => {
  const sandbox = await startSandbox({ seed: 11, now: NOW, quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "server_cache_" });
  const store = await openReportStore(dir);
  const s = serve(sandbox, { store });
  const org = sandbox.state.orgs.values().find((o) => !o.isDefault)!;
  const path = `/reports/charges/organisation/${org.id}.xlsx?pbp=-1`;
  try {
    await t.step("the second download of a closed period is the cached file", async () => {
      const first = await s.get(path);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get("etag"), null, "a fresh render streams without a tag");
      assert.equal(first.headers.get("cache-control"), "private, no-store");
      const firstBytes = await bytesOf(first);
      assert.ok(firstBytes.byteLength > 1000);

      sandbox.resetStats();
      const second = await s.get(path);
      assert.equal(second.status, 200);
      const secondBytes = await bytesOf(second);
      assert.equal(asCalls(sandbox, "/charges"), 0, "no charges request for a cached file");
      assert.deepEqual(secondBytes, firstBytes, "the same bytes as the first download");
      assert.equal(second.headers.get("content-length"), String(firstBytes.byteLength));
      assert.match(second.headers.get("cache-control") ?? "", /^private\b/);
      // Worked out here, not by the server: the tag is the quoted SHA-256 of the bytes.
      assert.equal(
        second.headers.get("etag"),
        `"${await sha256Hex(firstBytes as Uint8Array<ArrayBuffer>)}"`,
      );
      assert.equal(second.headers.get("x-report-rows"), first.headers.get("x-report-rows"));
      assert.equal(
        second.headers.get("x-report-total-coins"),
        first.headers.get("x-report-total-coins"),
      );
      assert.equal(
        second.headers.get("content-disposition"),
        first.headers.get("content-disposition"),
      );
      assert.equal(second.headers.get("x-report-cache"), "hit");

      const etag = second.headers.get("etag")!;
      const notModified = await s.get(path, { "if-none-match": etag });
      assert.equal(notModified.status, 304);
      assert.equal((await notModified.arrayBuffer()).byteLength, 0);
      assert.equal(notModified.headers.get("etag"), etag);
      const other = await s.get(path, { "if-none-match": '"not-this-one"' });
      assert.equal(other.status, 200);
      assert.deepEqual(await bytesOf(other), firstBytes);
      const head = await s.get(path, {}, "HEAD");
      assert.equal(head.status, 200);
      assert.equal(head.headers.get("content-length"), String(firstBytes.byteLength));
      await head.body?.cancel();
      assert.equal(asCalls(sandbox, "/charges"), 0);
    });

    await t.step(
      "the cached file lives in the store's render cache, not in the archive",
      async () => {
        assert.deepEqual(await store.list(), []);
        const names = [...Deno.readDirSync(join(dir, ".render-cache"))].map((e) => e.name);
        assert.equal(names.filter((n) => n.endsWith(".xlsx")).length, 1, names.join(", "));
        // Its file is not reachable through the archive, by its name or a path to it.
        for (const n of names.filter((n) => n.endsWith(".xlsx"))) {
          for (const p of [`/archive/${n}`, `/archive/.render-cache%2F${n}`]) {
            const res = await s.get(p);
            assert.equal(res.status, 404, p);
            await res.arrayBuffer();
          }
        }
        // A second server on the same store (a restart) answers from it without rendering.
        const restarted = serve(sandbox, { store });
        try {
          sandbox.resetStats();
          const res = await restarted.get(path);
          assert.equal(res.status, 200);
          assert.equal(res.headers.get("x-report-cache"), "hit");
          await res.arrayBuffer();
          assert.equal(asCalls(sandbox, "/charges"), 0);
        } finally {
          await restarted.close();
        }
      },
    );

    await t.step(
      "a closed calendar month is cached; a range reaching past today is not",
      async () => {
        const month = `/reports/charges/organisation/${org.id}.csv?month=2026-10`;
        await (await s.get(month)).arrayBuffer();
        sandbox.resetStats();
        const again = await s.get(month);
        assert.equal(again.status, 200);
        assert.equal(again.headers.get("x-report-cache"), "hit");
        await again.arrayBuffer();
        assert.equal(asCalls(sandbox, "/charges"), 0);

        const open = `/reports/charges/organisation/${org.id}.csv?from=2026-11-01&until=2026-12-01`;
        for (let i = 0; i < 2; i++) {
          sandbox.resetStats();
          const res = await s.get(open);
          assert.equal(res.status, 200);
          assert.equal(res.headers.get("etag"), null);
          await res.arrayBuffer();
          assert.ok(asCalls(sandbox, "/charges") > 0, `open range, download ${i + 1}`);
        }
      },
    );

    await t.step("the open period (pbp 0) renders afresh every time", async () => {
      const open = `/reports/charges/organisation/${org.id}.xlsx?pbp=0`;
      for (let i = 0; i < 2; i++) {
        sandbox.resetStats();
        const res = await s.get(open);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get("etag"), null);
        assert.equal(res.headers.get("cache-control"), "private, no-store");
        await res.arrayBuffer();
        assert.ok(asCalls(sandbox, "/charges") > 0, `pbp 0, download ${i + 1}`);
      }
    });

    await t.step("a report that does not reconcile is never cached", async () => {
      const unit = sandbox.state.unitsOf(org.id).find((u) =>
        sandbox.state.productsOf(u.id).length > 0
      )!;
      const product = sandbox.state.productsOf(unit.id)[0];
      const unitPath = `/reports/charges/unit/${unit.id}.csv?pbp=-2`;
      // Spoil one product's total by a hand-picked amount: rows and totals disagree.
      const token = await clientTokens(sandbox).getToken();
      const raw = await (await fetch(`${sandbox.asUrl}/charges/product/${product.id}?pbp=-2`, {
        headers: { authorization: `Bearer ${token}` },
      })).json();
      sandbox.setFaults({
        rules: [{
          kind: "wrong-type",
          path: `/charges/product/${product.id}`,
          field: "coins",
          value: new Big(raw.coins).plus("0.5").toFixed(),
        }],
      });
      for (let i = 0; i < 2; i++) {
        sandbox.resetStats();
        const res = await s.get(unitPath);
        assert.equal(res.status, 502, `unreconciled, download ${i + 1}`);
        await res.arrayBuffer();
        assert.ok(asCalls(sandbox, "/charges") > 0, "asked the Account Server again");
      }
      sandbox.setFaults({});
      sandbox.resetStats();
      const fixed = await s.get(unitPath);
      assert.equal(fixed.status, 200);
      assert.equal(fixed.headers.get("etag"), null, "rendered afresh, nothing was kept");
      await fixed.arrayBuffer();
      assert.ok(asCalls(sandbox, "/charges") > 0);
      // Reconciled now, so kept: the next download is the cached file.
      const kept = await s.get(unitPath);
      assert.equal(kept.headers.get("x-report-cache"), "hit");
      await kept.arrayBuffer();
    });

    await t.step(
      "a closed range with a processing charge not yet final is never cached",
      async () => {
        // The sandbox makes a charge final 5 days after it closed: the last days before NOW
        // hold charges the Account Server may still change.
        const range =
          `/reports/charges/organisation/${org.id}.csv?from=2026-11-12&until=2026-11-20`;
        const first = await s.get(range);
        assert.equal(first.status, 200);
        const rows = parse(new TextDecoder().decode(await bytesOf(first)).replace(/^\uFEFF/, ""), {
          columns: true,
        }) as Record<string, string>[];
        assert.ok(
          rows.some((r) => r.charge_type === "PROCESSING" && r.final === "false"),
          "the range holds a processing charge that is not final",
        );
        sandbox.resetStats();
        const second = await s.get(range);
        assert.equal(second.status, 200);
        await second.arrayBuffer();
        assert.equal(second.headers.get("x-report-cache"), null, "rendered afresh");
        assert.ok(asCalls(sandbox, "/charges") > 0, "asked the Account Server again");
      },
    );
  } finally {
    await s.close();
    store.close();
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("render cache: two AS accounts sharing one store never see each other's files", async () => {
  const sandbox = await startSandbox({ seed: 11, now: NOW, quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "server_cache_iso_" });
  const store = await openReportStore(dir);
  const ada = serve(sandbox, { tokens: userTokens(sandbox, "ada.lovelace"), store });
  const grace = serve(sandbox, { tokens: userTokens(sandbox, "grace_hopper"), store });
  try {
    const org = orgOwnedBy(sandbox, "ada.lovelace");
    assert.ok(org.ownerId !== "grace_hopper" && !org.members.has("grace_hopper"));
    const path = `/reports/charges/organisation/${org.id}.csv?pbp=-1`;
    const first = await ada.get(path);
    assert.equal(first.status, 200);
    await first.arrayBuffer();
    const cached = await ada.get(path);
    assert.equal(cached.headers.get("x-report-cache"), "hit");
    await cached.arrayBuffer();

    // Grace's server shares the store but not the AS account: the Account Server decides.
    sandbox.resetStats();
    const refused = await grace.get(path);
    assert.equal(refused.status, 404);
    assert.equal(refused.headers.get("x-report-cache"), null);
    assert.equal(refused.headers.get("content-disposition"), null);
    await refused.arrayBuffer();
    assert.ok(sandbox.stats().byService.as > 0, "grace's server asked the Account Server");

    // And her own organisation is rendered for her, not taken from Ada's entries.
    const hers = orgOwnedBy(sandbox, "grace_hopper");
    const own = await grace.get(`/reports/charges/organisation/${hers.id}.csv?pbp=-1`);
    assert.equal(own.status, 200);
    assert.equal(own.headers.get("x-report-cache"), null);
    await own.arrayBuffer();
    const ownAgain = await grace.get(`/reports/charges/organisation/${hers.id}.csv?pbp=-1`);
    assert.equal(ownAgain.headers.get("x-report-cache"), "hit");
    await ownAgain.arrayBuffer();
  } finally {
    await ada.close();
    await grace.close();
    store.close();
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listing cache over HTTP: TTL per account, TTL 0, one request in flight, failures not kept", async () => {
  const sandbox = await startSandbox({ seed: 11, now: NOW, quiet: true });
  let clock = 0;
  const cached = serve(sandbox, { cache: { listingTtlMs: 30_000, clock: () => clock } });
  const uncached = serve(sandbox, { cache: { listingTtlMs: 0 } });
  const orgListings = () => sandbox.stats().byRoute["GET /account-server-api/organisation"] ?? 0;
  try {
    sandbox.resetStats();
    for (let i = 0; i < 3; i++) await (await cached.get("/")).text();
    assert.equal(orgListings(), 1, "three index pages within the TTL: one listing");
    clock = 30_001;
    await (await cached.get("/")).text();
    assert.equal(orgListings(), 2, "after the TTL: listed again");

    sandbox.resetStats();
    for (let i = 0; i < 3; i++) await (await uncached.get("/")).text();
    assert.equal(orgListings(), 3, "TTL 0: listed for every page");

    // Concurrent pages share one listing in flight (the sandbox answers slowly).
    sandbox.setFaults({ latencyMs: 300 });
    sandbox.resetStats();
    const pages = await Promise.all(Array.from({ length: 5 }, () => uncached.get("/")));
    for (const p of pages) {
      assert.equal(p.status, 200);
      await p.text();
    }
    assert.equal(orgListings(), 1, "five pages at once: one listing");

    // Without a store, a closed period is kept in memory.
    sandbox.setFaults({});
    const org = sandbox.state.orgs.values().find((o) => !o.isDefault)!;
    const csv = `/reports/charges/organisation/${org.id}.csv?pbp=-3`;
    const fresh = await cached.get(csv);
    assert.equal(fresh.status, 200);
    const freshBytes = await bytesOf(fresh);
    sandbox.resetStats();
    const fromMemory = await cached.get(csv);
    assert.equal(fromMemory.headers.get("x-report-cache"), "hit");
    assert.deepEqual(await bytesOf(fromMemory), freshBytes);
    assert.equal(asCalls(sandbox, "/charges"), 0);

    // A failed listing is not kept: the next page asks again and succeeds.
    sandbox.setFaults({
      rules: [{ kind: "empty-body", path: "/organisation", times: 1 }],
    });
    clock = 70_000;
    sandbox.resetStats();
    const failed = await cached.get("/");
    assert.equal(failed.status, 502);
    await failed.text();
    const next = await cached.get("/");
    assert.equal(next.status, 200);
    await next.text();
    assert.equal(orgListings(), 2);
  } finally {
    await cached.close();
    await uncached.close();
    await sandbox.close();
  }
});

Deno.test("TTL cache: single flight, failures not kept, expiry by the clock, bounded", async () => {
  let now = 0;
  const cache = createTtlCache<number>({ ttlMs: 100, clock: () => now, maxEntries: 2 });
  let loads = 0;
  let release!: (n: number) => void;
  const gate = new Promise<number>((resolve) => (release = resolve));
  const load = () => {
    loads++;
    return gate;
  };
  const both = Promise.all([cache.get("a", load), cache.get("a", load)]);
  release(7);
  assert.deepEqual(await both, [7, 7]);
  assert.equal(loads, 1);
  assert.equal(await cache.get("a", () => Promise.resolve(8)), 7, "kept within the TTL");
  now = 100;
  assert.equal(await cache.get("a", () => Promise.resolve(9)), 9, "loaded again after it");
  await assert.rejects(() => cache.get("b", () => Promise.reject(new Error("down"))), /down/);
  await assert.rejects(() => cache.get("c", () => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(await cache.get("b", () => Promise.resolve(2)), 2, "a failure was not kept");
  await cache.get("c", () => Promise.resolve(3));
  assert.equal(cache.size, 2, "bounded: the oldest value went");
  assert.equal(await cache.get("a", () => Promise.resolve(10)), 10);

  const off = createTtlCache<number>({ ttlMs: 0 });
  let n = 0;
  await off.get("k", () => Promise.resolve(++n));
  await off.get("k", () => Promise.resolve(++n));
  assert.equal(n, 2, "TTL 0 keeps nothing");
});

Deno.test("closed periods, ETag matching and token identities, worked by hand", () => {
  const noon = new Date("2026-11-20T12:00:00Z");
  assert.equal(closedPeriodKey({ pbp: 0 }, noon), null);
  assert.equal(closedPeriodKey({ pbp: -1 }, noon), "pbp -1 on 2026-11-20");
  assert.equal(closedPeriodKey({ pbp: -1 }, new Date("2026-11-20T00:05:00Z")), null);
  assert.equal(
    closedPeriodKey({ from: "2026-10-01", until: "2026-11-20" }, noon),
    "2026-10-01..2026-11-20",
  );
  assert.equal(closedPeriodKey({ from: "2026-10-01", until: "2026-11-21" }, noon), null);
  assert.equal(
    closedPeriodKey({ from: "2026-10-01", until: "2026-11-01", month: "2026-10" }, noon),
    "2026-10-01..2026-11-01 month 2026-10",
  );
  assert.equal(
    closedPeriodKey({ from: "2026-11-01", until: "2026-12-01", month: "2026-11" }, noon),
    null,
  );

  assert.ok(etagMatches('"abc"', '"abc"'));
  assert.ok(etagMatches('W/"abc", "x"', '"abc"'));
  assert.ok(etagMatches("*", '"abc"'));
  assert.ok(!etagMatches('"abd"', '"abc"'));
  assert.ok(!etagMatches(undefined, '"abc"'));

  const jwt = (claims: object) =>
    `e30.${
      btoa(JSON.stringify(claims)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_")
    }.sig`;
  assert.equal(
    subjectOf(jwt({ iss: "https://kc/realms/r", sub: "u1" })),
    "jwt:https://kc/realms/r\nu1",
  );
  assert.equal(subjectOf(jwt({ sub: "u1" })), undefined);
  assert.equal(subjectOf("opaque-token"), undefined);
});

Deno.test("cache settings from the environment: defaults, values, refusals naming the variable", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.deepEqual(cacheFromEnv(env({})), { variant: "" });
  assert.deepEqual(
    cacheFromEnv(env({
      REPORTS_LISTING_TTL_S: "0",
      REPORTS_CACHE: "Memory",
      REPORTS_CACHE_MEMORY_MB: "1.5",
      DENO_DEPLOYMENT_ID: "dep-1",
    })),
    { listingTtlMs: 0, memoryBytes: 1_572_864, reports: "memory", variant: "dep-1" },
  );
  assert.throws(
    () => cacheFromEnv(env({ REPORTS_LISTING_TTL_S: "-1" })),
    (e: Error) => e instanceof ConfigError && /REPORTS_LISTING_TTL_S "-1"/.test(e.message),
  );
  assert.throws(
    () => cacheFromEnv(env({ REPORTS_CACHE: "disk" })),
    (e: Error) =>
      e instanceof ConfigError &&
      /REPORTS_CACHE "disk" is not one of store, memory, off/.test(e.message),
  );
});

Deno.test("store areas: a KV and a directory area keep files under given names, apart from the archive", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_area_" });
  const stores = [await openReportStore("kv::memory:"), await openReportStore(dir)];
  try {
    for (const store of stores) {
      const area = await store.area!("render-cache");
      const bytes = new TextEncoder().encode("a,b\n1,2\n");
      const meta = await area.put(
        {
          scope: "unit",
          scopeId: "unit-1",
          scopeName: "Unit one",
          period: { from: "2026-10-01", until: "2026-11-01" },
          format: "csv",
          rowCount: 1,
          totalCoins: "2",
          sandbox: true,
          downloadName: "charges_unit_one.csv",
        },
        bytes,
        { name: "rc_abc.csv" },
      );
      assert.equal(meta.name, "rc_abc.csv");
      const got = await area.get("rc_abc.csv");
      assert.ok(got, store.location);
      assert.equal(got.meta.downloadName, "charges_unit_one.csv");
      assert.deepEqual(new Uint8Array(await new Response(got.body).arrayBuffer()), bytes);
      assert.deepEqual(await store.list(), [], `${store.location}: the archive lists nothing`);
      await assert.rejects(() => store.area!("../x"), /Cannot open store area/);
      await assert.rejects(
        () => area.put({ ...meta }, bytes, { name: "../evil.csv" }),
        /Cannot store a report as "\.\.\/evil\.csv"/,
      );
      area.close();
    }
  } finally {
    for (const s of stores) s.close();
    await Deno.remove(dir, { recursive: true });
  }
});
