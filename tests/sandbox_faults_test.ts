/**
 * Fault injection, request statistics and the admin routes over real HTTP, composed with
 * a stand-in AS app (the gateway, faults, stats, admin and Keycloak are the real ones).
 */

import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAdminApp } from "../sandbox/admin.ts";
import { createFaultInjector, type FaultsConfig, parseFaultsConfig } from "../sandbox/faults.ts";
import { createGatewayApp } from "../sandbox/gateway.ts";
import { createKeycloak } from "../sandbox/keycloak/mod.ts";
import { createStatsCounter } from "../sandbox/stats.ts";
import { startSandbox } from "../sandbox/mod.ts";

const ADMIN_KEY = "test-admin-key-123";
const CHARGES = {
  count: 3,
  items: Array.from({ length: 3 }, (_, i) => ({ id: i, coins: `${i}.25`, name: `item ${i}` })),
};

function standInAs(): Hono {
  const as = new Hono();
  as.get("/version", (c) => c.json({ version: "4.4.0-stand-in" }));
  as.get(
    "/charges/product/:product_id",
    (c) => c.json({ ...CHARGES, id: c.req.param("product_id") }),
  );
  as.post("/organisation", (c) => c.json({ id: "org-1" }, 201));
  as.delete("/organisation/:org_id", (c) => c.body(null, 204));
  return as;
}

async function start(faults: FaultsConfig = {}) {
  const stats = createStatsCounter();
  const injector = createFaultInjector(faults, { defaultSeed: 1, onInject: stats.countFault });
  let origin = "";
  const keycloak = await createKeycloak({
    users: () => [{ username: "alice", password: "alice-pw", roles: ["r"] }],
    serviceAccountRoles: [],
    keycloakUrl: () => `${origin}/auth`,
  });
  const xq = new Hono();
  xq.get("/subscription/v2/ping", (c) => c.json({ ok: true }));
  const app = createGatewayApp({
    as: standInAs(),
    keycloak: keycloak.app,
    xq,
    admin: createAdminApp({ adminKey: ADMIN_KEY, faults: injector, stats }),
    faults: injector,
    stats,
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    origin,
    as: `${origin}/account-server-api`,
    injector,
    stats,
    close: () => server.shutdown(),
  };
}

/** Fetches and reads the whole body; `error` names what failed while reading it. */
async function get(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  try {
    return { status: res.status, headers: res.headers, text: await res.text(), error: undefined };
  } catch (error) {
    return { status: res.status, headers: res.headers, text: "", error: error as Error };
  }
}

function tokenForm(): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "password",
      client_id: "account-server-api",
      username: "alice",
      password: "alice-pw",
    }),
  };
}

Deno.test("without configuration no fault is injected, and requests are counted by route", async () => {
  const s = await start();
  try {
    for (let i = 0; i < 20; i++) {
      const r = await get(`${s.as}/charges/product/p-${i}`);
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.text).count, 3);
    }
    assert.equal((await get(`${s.as}/version`)).status, 200);
    assert.equal(
      (await get(`${s.origin}/auth/realms/squonk/protocol/openid-connect/token`, tokenForm()))
        .status,
      200,
    );
    assert.equal((await get(`${s.origin}/xq/subscription/v2/ping`)).status, 200);
    const missing = await get(`${s.as}/no/such/route`);
    assert.equal(missing.status, 404);
    assert.match(
      JSON.parse(missing.text).error,
      /^There is no GET \/no\/such\/route in the Account Server API/,
    );
    const stats = s.stats.snapshot();
    assert.equal(stats.total, 24);
    assert.equal(stats.faultsInjected, 0);
    assert.equal(stats.tokenRequests, 1);
    assert.deepEqual(stats.byService, { as: 22, keycloak: 1, xq: 1, other: 0 });
    assert.equal(stats.byRoute["GET /account-server-api/charges/product/:product_id"], 20);
    assert.equal(stats.byRoute["GET /account-server-api/version"], 1);
    assert.equal(stats.byRoute["POST /auth/realms/:realm/protocol/openid-connect/token"], 1);
    assert.equal(stats.byRoute["GET (no route)"], 1);
    s.stats.reset();
    assert.equal(s.stats.snapshot().total, 0);
  } finally {
    await s.close();
  }
});

Deno.test("status rule: only matching method and path, only the first `times` requests", async () => {
  const s = await start({
    rules: [{
      methods: ["get"],
      path: "/charges/product/*",
      kind: "status",
      status: 503,
      times: 2,
    }],
  });
  try {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`${s.as}/charges/product/p1`)).status);
    assert.deepEqual(statuses, [503, 503, 200, 200]);
    assert.equal((await get(`${s.as}/version`)).status, 200);
    assert.equal((await get(`${s.as}/organisation`, { method: "POST" })).status, 201);
    assert.equal(s.stats.snapshot().faultsInjected, 2);
  } finally {
    await s.close();
  }
});

Deno.test("429 carries Retry-After (default 1 s), other statuses carry it when asked", async () => {
  const s = await start({
    rules: [
      { path: "/version", kind: "status", status: 429, times: 1 },
      { path: "/version", kind: "status", status: 503, retryAfterS: 7, times: 1 },
      { path: "/version", kind: "status", status: 500, times: 1 },
    ],
  });
  try {
    const first = await get(`${s.as}/version`);
    assert.equal(first.status, 429);
    assert.equal(first.headers.get("retry-after"), "1");
    assert.deepEqual(JSON.parse(first.text), { error: "Sandbox fault: injected 429" });
    const second = await get(`${s.as}/version`);
    assert.equal(second.status, 503);
    assert.equal(second.headers.get("retry-after"), "7");
    const third = await get(`${s.as}/version`);
    assert.equal(third.status, 500);
    assert.equal(third.headers.get("retry-after"), null);
    assert.equal((await get(`${s.as}/version`)).status, 200);
  } finally {
    await s.close();
  }
});

Deno.test("drop sends headers and part of the body, then the client sees a network error", async () => {
  const s = await start({ rules: [{ path: "/charges/**", kind: "drop", times: 1 }] });
  try {
    const dropped = await get(`${s.as}/charges/product/p1`);
    assert.equal(dropped.status, 200);
    assert.ok(
      dropped.error instanceof TypeError,
      `expected a body read error, got ${dropped.error}`,
    );
    const next = await get(`${s.as}/charges/product/p1`);
    assert.equal(next.error, undefined);
    assert.equal(JSON.parse(next.text).count, 3);
    // A bodiless response can be dropped too.
    s.injector.set({ rules: [{ methods: ["DELETE"], kind: "drop" }] });
    const del = await get(`${s.as}/organisation/org-1`, { method: "DELETE" });
    assert.ok(del.error instanceof TypeError);
  } finally {
    await s.close();
  }
});

Deno.test("truncate answers 200 with a cut-off prefix of the real JSON", async () => {
  const s = await start({ rules: [{ path: "/charges/product/p1", kind: "truncate" }] });
  try {
    const whole = await get(`${s.as}/charges/product/p2`);
    const cut = await get(`${s.as}/charges/product/p1`);
    assert.equal(cut.status, 200);
    assert.equal(cut.error, undefined);
    assert.match(cut.headers.get("content-type") ?? "", /application\/json/);
    assert.ok(cut.text.length > 0 && cut.text.length < whole.text.length);
    assert.ok(whole.text.replace("p2", "p1").startsWith(cut.text));
    assert.throws(() => JSON.parse(cut.text), SyntaxError);
  } finally {
    await s.close();
  }
});

Deno.test("slow-body sends headers at once and the body after delayMs", async () => {
  const s = await start({
    rules: [
      { path: "/version", kind: "slow-body", delayMs: 20_000, times: 1 },
      { path: "/charges/product/*", kind: "slow-body", delayMs: 50 },
    ],
  });
  try {
    // A client whose timeout is shorter than the delay gets the headers, then times out.
    const res = await fetch(`${s.as}/version`, { signal: AbortSignal.timeout(300) });
    assert.equal(res.status, 200);
    await assert.rejects(() => res.text(), (e: Error) => e.name === "TimeoutError");
    // A patient client gets the whole body.
    const slow = await get(`${s.as}/charges/product/p1`);
    assert.equal(JSON.parse(slow.text).count, 3);
    assert.equal((await get(`${s.as}/version`)).text, '{"version":"4.4.0-stand-in"}');
  } finally {
    await s.close();
  }
});

Deno.test("latency delays AS requests only", async () => {
  const s = await start({ latencyMs: 3000, jitterMs: 5 });
  try {
    // 3 s of latency is ten times this client's 300 ms timeout: the call must time out.
    await assert.rejects(
      () => fetch(`${s.as}/version`, { signal: AbortSignal.timeout(300) }),
      (e: Error) => e.name === "TimeoutError",
    );
    const xq = await get(`${s.origin}/xq/subscription/v2/ping`, {
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(xq.status, 200);
    assert.equal(s.stats.snapshot().faultsInjected, 0, "latency is not counted as a fault");
  } finally {
    await s.close(); // waits for the pending latency to run out
  }
});

Deno.test("rate draws from a seeded PRNG: same seed, same faults; 0 never, 1 always", async () => {
  async function pattern(config: FaultsConfig): Promise<string> {
    const s = await start(config);
    try {
      let out = "";
      for (let i = 0; i < 40; i++) out += (await get(`${s.as}/version`)).status === 500 ? "x" : ".";
      return out;
    } finally {
      await s.close();
    }
  }
  const rule = { kind: "status" as const, rate: 0.5 };
  const a = await pattern({ seed: 42, rules: [rule] });
  const b = await pattern({ seed: 42, rules: [rule] });
  const c = await pattern({ seed: 43, rules: [rule] });
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.match(a, /x/);
  assert.match(a, /\./);
  assert.equal(await pattern({ rules: [{ kind: "status", rate: 0 }] }), ".".repeat(40));
  assert.equal(await pattern({ rules: [{ kind: "status", rate: 1 }] }), "x".repeat(40));
});

Deno.test("rules default to the AS; Keycloak and XQ are faulted only when targeted; admin never", async () => {
  const s = await start({ rules: [{ kind: "status", status: 502 }] });
  const tokenUrl = () => `${s.origin}/auth/realms/squonk/protocol/openid-connect/token`;
  try {
    assert.equal((await get(`${s.as}/version`)).status, 502);
    assert.equal((await get(tokenUrl(), tokenForm())).status, 200);
    assert.equal((await get(`${s.origin}/xq/subscription/v2/ping`)).status, 200);

    s.injector.set({
      rules: [{
        target: "keycloak",
        path: "/realms/*/protocol/**",
        kind: "status",
        status: 503,
        times: 1,
      }],
    });
    assert.equal((await get(tokenUrl(), tokenForm())).status, 503);
    assert.equal((await get(tokenUrl(), tokenForm())).status, 200);
    assert.equal((await get(`${s.as}/version`)).status, 200);

    s.injector.set({ rules: [{ target: "xq", kind: "truncate" }] });
    const xq = await get(`${s.origin}/xq/subscription/v2/ping`);
    assert.throws(() => JSON.parse(xq.text), SyntaxError);

    s.injector.set({ rules: [{ target: "all", kind: "status", status: 500 }] });
    assert.equal((await get(`${s.origin}/xq/subscription/v2/ping`)).status, 500);
    const admin = await get(`${s.origin}/_sandbox/stats`, {
      headers: { "x-sandbox-admin-key": ADMIN_KEY },
    });
    assert.equal(admin.status, 200);
    assert.equal(JSON.parse(admin.text).tokenRequests, 3);
  } finally {
    await s.close();
  }
});

Deno.test("admin routes need the key and replace faults at run time", async () => {
  const s = await start();
  const key = { "x-sandbox-admin-key": ADMIN_KEY };
  try {
    const refused: Record<string, string>[] = [
      {},
      { "x-sandbox-admin-key": "wrong" },
      { "x-sandbox-admin-key": `${ADMIN_KEY}x` },
    ];
    for (const headers of refused) {
      const r = await get(`${s.origin}/_sandbox/faults`, { headers });
      assert.equal(r.status, 401);
      assert.ok(!r.text.includes(ADMIN_KEY), "the 401 must not reveal the key");
    }
    const put = await get(`${s.origin}/_sandbox/faults`, {
      method: "PUT",
      headers: { ...key, "content-type": "application/json" },
      body: JSON.stringify({
        latencyMs: 1,
        rules: [{ path: "/version", kind: "status", status: 503 }],
      }),
    });
    assert.equal(put.status, 200);
    assert.equal(JSON.parse(put.text).rules[0].status, 503);
    assert.equal((await get(`${s.as}/version`)).status, 503);
    const current = JSON.parse((await get(`${s.origin}/_sandbox/faults`, { headers: key })).text);
    assert.equal(current.latencyMs, 1);

    const invalid = await get(`${s.origin}/_sandbox/faults`, {
      method: "PUT",
      headers: key,
      body: JSON.stringify({ rules: [{ kind: "explode" }] }),
    });
    assert.equal(invalid.status, 400);
    assert.match(
      JSON.parse(invalid.text).error,
      /^Invalid fault rule #1 kind "explode": use one of status/,
    );
    const notJson = await get(`${s.origin}/_sandbox/faults`, {
      method: "PUT",
      headers: key,
      body: "{",
    });
    assert.equal(notJson.status, 400);
    assert.equal((await get(`${s.as}/version`)).status, 503, "a rejected PUT keeps the old faults");

    const stats = JSON.parse((await get(`${s.origin}/_sandbox/stats`, { headers: key })).text);
    assert.equal(stats.byRoute["GET /account-server-api/version"], 2);
    assert.equal(stats.faultsInjected, 2);
    const reset = await get(`${s.origin}/_sandbox/stats/reset`, { method: "POST", headers: key });
    assert.equal(JSON.parse(reset.text).total, 0);
    assert.equal((await get(`${s.origin}/_sandbox/clock`, { headers: key })).status, 404);
  } finally {
    await s.close();
  }
});

Deno.test("parseFaultsConfig normalises and rejects bad input with the fix", () => {
  assert.deepEqual(parseFaultsConfig({}), { latencyMs: 0, jitterMs: 0, rules: [] });
  assert.deepEqual(parseFaultsConfig({ rules: [{ kind: "drop", methods: ["get"] }] }).rules, [
    { kind: "drop", methods: ["GET"] },
  ]);
  const cases: [unknown, RegExp][] = [
    [[], /^Invalid fault configuration "\[\]": use an object/],
    [{ latency: 5 }, /^Invalid fault configuration field "latency": use only seed/],
    [{ latencyMs: -1 }, /latencyMs "-1": use a whole number from 0/],
    [{ rules: {} }, /rules "\{\}": use a list/],
    [
      { rules: [{ kind: "status", status: 200 }] },
      /status "200": use a whole number from 400 to 599/,
    ],
    [{ rules: [{ kind: "status", rate: 1.5 }] }, /rate "1.5": use a number from 0 to 1/],
    [
      { rules: [{ kind: "drop", target: "db" }] },
      /target "db": use one of as, keycloak, xq, all/,
    ],
    [
      { rules: [{ kind: "drop", path: "version" }] },
      /path "version": use a glob starting with "\/"/,
    ],
    [{ rules: [{ kind: "drop", methods: "GET" }] }, /methods "GET": use a list/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseFaultsConfig(input), (e: Error) => {
      assert.equal(e.name, "UsageError");
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("empty-body keeps the real status and headers, sends no body; times and path apply", async () => {
  const s = await start({
    rules: [
      { path: "/charges/product/*", kind: "empty-body", times: 1 },
      { methods: ["POST"], path: "/organisation", kind: "empty-body" },
    ],
  });
  try {
    const empty = await get(`${s.as}/charges/product/p1`);
    assert.equal(empty.status, 200);
    assert.equal(empty.error, undefined);
    assert.equal(empty.text, "");
    assert.equal(empty.headers.get("content-length"), "0");
    assert.match(empty.headers.get("content-type") ?? "", /application\/json/);
    assert.equal(JSON.parse((await get(`${s.as}/charges/product/p1`)).text).count, 3);
    assert.equal((await get(`${s.as}/version`)).text, '{"version":"4.4.0-stand-in"}');
    const created = await get(`${s.as}/organisation`, { method: "POST" });
    assert.equal(created.status, 201, "the real status is kept");
    assert.equal(created.text, "");
    assert.equal(s.stats.snapshot().faultsInjected, 2);
  } finally {
    await s.close();
  }
});

Deno.test("wrong-type replaces the field at a dot path by another JSON type, or by the value given", async () => {
  const s = await start();
  const product = async () => {
    const r = await get(`${s.as}/charges/product/p1`);
    assert.equal(r.status, 200, r.text);
    return JSON.parse(r.text);
  };
  try {
    const clean = await product();
    const cases: [Record<string, unknown>, (body: typeof clean) => void][] = [
      [{ field: "items" }, (b) => assert.equal(b.items, 42)],
      [{ field: "items.1.coins" }, (b) => assert.equal(b.items[1].coins, 42)],
      [{ field: "items.2" }, (b) => assert.equal(b.items[2], 42)],
      [{ field: "count" }, (b) => assert.equal(b.count, "42")],
      [
        { field: "items.0.coins", value: "999.99" },
        (b) => assert.equal(b.items[0].coins, "999.99"),
      ],
      [{ field: "items.0.id", value: null }, (b) => assert.equal(b.items[0].id, null)],
      [{ field: "id", value: { a: [1] } }, (b) => assert.deepEqual(b.id, { a: [1] })],
    ];
    for (const [rule, check] of cases) {
      s.injector.set({ rules: [{ kind: "wrong-type", path: "/charges/product/*", ...rule }] });
      const spoiled = await product();
      check(spoiled);
      // Everything else is the real answer.
      const path = (rule.field as string).split(".");
      const restore = (body: Record<string, unknown>, original: Record<string, unknown>) => {
        let a: Record<string, unknown> = body;
        let b: Record<string, unknown> = original;
        for (const key of path.slice(0, -1)) {
          a = a[key] as Record<string, unknown>;
          b = b[key] as Record<string, unknown>;
        }
        a[path[path.length - 1]] = b[path[path.length - 1]];
        return body;
      };
      assert.deepEqual(restore(spoiled, clean), clean, `only ${rule.field} changed`);
    }
    // times and path filters apply.
    s.injector.set({
      rules: [{ kind: "wrong-type", path: "/charges/product/p2", field: "count", times: 1 }],
    });
    assert.equal((await product()).count, 3, "another path is not spoiled");
    const p2 = async () => JSON.parse((await get(`${s.as}/charges/product/p2`)).text).count;
    assert.equal(await p2(), "42");
    assert.equal(await p2(), 3, "only the first time");
  } finally {
    await s.close();
  }
});

Deno.test("wrong-type on a path the answer lacks is a 500 naming the field and the request", async () => {
  const s = await start({
    rules: [
      { kind: "wrong-type", path: "/charges/**", field: "items.9.coins" },
      { kind: "wrong-type", path: "/version", field: "version.major" },
      { kind: "wrong-type", methods: ["DELETE"], field: "id" },
    ],
  });
  try {
    const beyond = await get(`${s.as}/charges/product/p1`);
    assert.equal(beyond.status, 500);
    assert.equal(
      JSON.parse(beyond.text).error,
      'Sandbox fault: wrong-type field "items.9.coins" is not in the answer of ' +
        'GET /charges/product/p1: items has no "9"; fix the rule\'s field or path',
    );
    const intoString = await get(`${s.as}/version`);
    assert.equal(intoString.status, 500);
    assert.match(JSON.parse(intoString.text).error, /version has no "major"/);
    const noBody = await get(`${s.as}/organisation/org-1`, { method: "DELETE" });
    assert.equal(noBody.status, 500);
    assert.match(
      JSON.parse(noBody.text).error,
      /field "id" cannot be replaced: the answer of DELETE \/organisation\/org-1 is not JSON/,
    );
  } finally {
    await s.close();
  }
});

Deno.test("html answers 200 with an HTML page instead of JSON; method and times apply", async () => {
  const s = await start({ rules: [{ methods: ["GET"], kind: "html", times: 2 }] });
  try {
    for (let i = 0; i < 2; i++) {
      const page = await get(`${s.as}/charges/product/p1`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
      assert.match(page.text, /^<!DOCTYPE html>\n<html[^]*<\/html>\n$/);
      assert.throws(() => JSON.parse(page.text), SyntaxError);
    }
    assert.equal(JSON.parse((await get(`${s.as}/charges/product/p1`)).text).count, 3);
    s.injector.set({ rules: [{ methods: ["GET"], kind: "html" }] });
    assert.equal((await get(`${s.as}/organisation`, { method: "POST" })).status, 201);
  } finally {
    await s.close();
  }
});

Deno.test("trickle sends the real headers with Content-Length at once, then the body in chunks", async () => {
  const s = await start({
    rules: [
      { path: "/charges/product/*", kind: "trickle", durationMs: 800 },
      { path: "/version", kind: "trickle", durationMs: 3000 },
    ],
  });
  try {
    const whole = JSON.stringify({ ...CHARGES, id: "p1" });
    const res = await fetch(`${s.as}/charges/product/p1`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-length"), String(new TextEncoder().encode(whole).length));
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const reader = res.body!.getReader();
    const parts: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    // 8 chunks aimed 100 ms apart: a client reading as they come sees several reads.
    assert.ok(parts.length >= 2, `expected several chunks, got ${parts.length}`);
    const text = new TextDecoder().decode(
      new Uint8Array(parts.flatMap((p) => [...p])),
    );
    assert.equal(text, whole);
    // A client with a 300 ms deadline for the whole body fails on a 3 s trickle.
    const slow = await fetch(`${s.as}/version`, { signal: AbortSignal.timeout(300) });
    assert.equal(slow.status, 200);
    await assert.rejects(() => slow.text(), (e: Error) => e.name === "TimeoutError");
    // Other paths are not trickled; a bodiless answer is passed as is.
    s.injector.set({ rules: [{ methods: ["DELETE"], kind: "trickle", durationMs: 60_000 }] });
    const del = await get(`${s.as}/organisation/org-1`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
  } finally {
    await s.close();
  }
});

Deno.test("the new kinds are set over the admin route and validated at configuration time", async () => {
  const s = await start();
  const key = { "x-sandbox-admin-key": ADMIN_KEY, "content-type": "application/json" };
  try {
    const config = {
      rules: [
        { kind: "wrong-type", path: "/charges/**", field: "items.0.coins", value: "1.5" },
        { kind: "trickle", durationMs: 100 },
        { kind: "empty-body" },
        { kind: "html" },
      ],
    };
    const put = await get(`${s.origin}/_sandbox/faults`, {
      method: "PUT",
      headers: key,
      body: JSON.stringify(config),
    });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(JSON.parse(put.text).rules, config.rules);
    assert.equal(JSON.parse((await get(`${s.as}/charges/product/p1`)).text).items[0].coins, "1.5");
    const invalid = await get(`${s.origin}/_sandbox/faults`, {
      method: "PUT",
      headers: key,
      body: JSON.stringify({ rules: [{ kind: "wrong-type" }] }),
    });
    assert.equal(invalid.status, 400);
    assert.equal(
      JSON.parse(invalid.text).error,
      'Invalid fault rule #1 field "(missing)": a "wrong-type" rule needs a dot path such as ' +
        '"products.0.charges"',
    );
  } finally {
    await s.close();
  }

  const cases: [unknown, RegExp][] = [
    [{ kind: "wrong-type", field: "" }, /rule #1 field "": a "wrong-type" rule needs a dot path/],
    [{ kind: "wrong-type", field: "a..b" }, /field "a\.\.b": a "wrong-type" rule needs/],
    [{ kind: "wrong-type", field: 3 }, /field "3": a "wrong-type" rule needs/],
    [{ kind: "wrong-type", field: "a", value: () => 1 }, /value ".*": use a JSON value/],
    [{ kind: "wrong-type", field: "a", value: NaN }, /value "NaN": use a JSON value/],
    [{ kind: "drop", field: "a" }, /field "a": only "wrong-type" rules take field; remove it/],
    [{ kind: "html", value: 1 }, /value "1": only "wrong-type" rules take value/],
    [{ kind: "slow-body", durationMs: 5 }, /durationMs "5": only "trickle" rules take/],
    [{ kind: "trickle", durationMs: -1 }, /durationMs "-1": use a whole number from 0/],
  ];
  for (const [rule, message] of cases) {
    assert.throws(() => parseFaultsConfig({ rules: [rule] }), (e: Error) => {
      assert.equal(e.name, "UsageError");
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("on the real sandbox AS the charges fields named in the docs can be spoiled", async () => {
  const sb = await startSandbox({ seed: 3, now: "2026-03-14T09:30:00Z", quiet: true });
  try {
    const tokenRes = await fetch(
      `${sb.keycloakUrl}/realms/${sb.realm}/protocol/openid-connect/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: sb.clientId,
          client_secret: sb.clientSecret,
        }),
      },
    );
    const token = (await tokenRes.json()).access_token;
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const org = [...sb.state.orgs.values()].find((o) =>
      !o.isDefault && sb.state.unitsOf(o.id).length > 0
    );
    assert.ok(org, "a demo organisation with units");
    const product = sb.state.unitsOf(org.id).flatMap((u) => sb.state.productsOf(u.id))[0];
    assert.ok(product, "a demo product");
    sb.setFaults({
      rules: [
        { path: "/charges/product/*", kind: "wrong-type", field: "storage_charges", times: 1 },
        { path: "/charges/unit/*", kind: "wrong-type", field: "products.0.charges", times: 1 },
        { path: "/charges/organisation/*", kind: "empty-body", times: 1 },
      ],
    });
    const spoiled = await get(`${sb.asUrl}/charges/product/${product.id}`, auth);
    assert.equal(spoiled.status, 200, spoiled.text);
    assert.equal(JSON.parse(spoiled.text).storage_charges, 42);
    const clean = JSON.parse((await get(`${sb.asUrl}/charges/product/${product.id}`, auth)).text);
    assert.equal(typeof clean.storage_charges, "object");
    const unitSpoiled = await get(`${sb.asUrl}/charges/unit/${product.unitId}`, auth);
    assert.equal(unitSpoiled.status, 200, unitSpoiled.text);
    assert.equal(JSON.parse(unitSpoiled.text).products[0].charges, 42);
    const orgEmpty = await get(`${sb.asUrl}/charges/organisation/${org.id}`, auth);
    assert.equal(orgEmpty.status, 200);
    assert.equal(orgEmpty.text, "");
    assert.equal(sb.stats().faultsInjected, 3);
  } finally {
    await sb.close();
  }
});
