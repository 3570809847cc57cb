/**
 * `startSandbox()` end to end over real HTTP (Keycloak grant -> AS call, faults, stats,
 * admin routes), and the `deno task sandbox` CLI's `--json` first line.
 */

import assert from "node:assert/strict";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { readUntil, runScript, scriptCommand } from "./fixtures/script_run.ts";

const MAIN = new URL("../sandbox/main.ts", import.meta.url).pathname;

async function token(sb: RunningSandbox, form: Record<string, string>) {
  const res = await fetch(`${sb.keycloakUrl}/realms/${sb.realm}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: sb.clientId, ...form }),
  });
  return { status: res.status, body: await res.json() };
}

async function call(url: string, accessToken?: string, init: RequestInit = {}) {
  const res = await fetch(url, {
    ...init,
    headers: {
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      ...init.headers,
    },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

Deno.test("startSandbox: password grant, AS call with the token, 401 without one", async () => {
  const sb = await startSandbox({ seed: 3, now: "2026-03-15T12:00:00Z", quiet: true });
  try {
    assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.asUrl, `${sb.url}/account-server-api`);
    assert.equal(sb.keycloakUrl, `${sb.url}/auth`);
    assert.equal(sb.realm, "squonk");
    assert.equal(sb.clientId, "account-server-api");
    assert.equal(sb.xq.subscriptionUrl, `${sb.url}/xq/subscription/v2`);
    assert.equal(sb.xq.validationUrl, `${sb.url}/xq/validation/v2`);
    assert.ok(sb.users.length > 0);

    const user = sb.users.find((u) => u.roles.includes("account-server-user"))!;
    const t = await token(sb, {
      grant_type: "password",
      username: user.username,
      password: user.password,
    });
    assert.equal(t.status, 200);
    const account = await call(`${sb.asUrl}/user/account`, t.body.access_token);
    assert.equal(account.status, 200);
    assert.equal(account.json.user.id, user.username);

    const anonymous = await call(`${sb.asUrl}/user/account`);
    assert.equal(anonymous.status, 401);
    assert.ok(anonymous.json.error);
    assert.equal((await call(`${sb.asUrl}/user/account`, "forged.token.value")).status, 401);
    assert.equal((await call(`${sb.asUrl}/version`)).status, 200);

    const wrong = await token(sb, {
      grant_type: "password",
      username: user.username,
      password: "nope",
    });
    assert.equal(wrong.status, 401);

    const stats = sb.stats();
    assert.equal(stats.tokenRequests, 2);
    assert.equal(stats.byRoute["GET /account-server-api/user/account"], 3);
    assert.equal(stats.byService.as, 4);
    sb.resetStats();
    assert.equal(sb.stats().total, 0);
  } finally {
    await sb.close();
    await sb.close();
  }
});

Deno.test("startSandbox: client credentials give an admin service account for scheduled exports", async () => {
  const sb = await startSandbox({ quiet: true });
  try {
    const t = await token(sb, { grant_type: "client_credentials", client_secret: sb.clientSecret });
    assert.equal(t.status, 200);
    const account = await call(`${sb.asUrl}/user/account`, t.body.access_token);
    assert.equal(account.json.user.id, "service-account-account-server-api");
    assert.equal(account.json.caller_has_admin_privilege, true);
    const orgs = await call(`${sb.asUrl}/organisation`, t.body.access_token);
    assert.equal(orgs.status, 200);
    // An admin sees every organisation of the state.
    assert.ok(orgs.json.organisations.length >= sb.state.orgs.size - 1);
  } finally {
    await sb.close();
  }
});

Deno.test("startSandbox: faults at start and at run time, admin routes and the data clock", async () => {
  const sb = await startSandbox({
    quiet: true,
    tokenLifetimeS: 60,
    faults: { rules: [{ path: "/version", kind: "status", status: 503, times: 1 }] },
  });
  const key = { "x-sandbox-admin-key": sb.adminKey };
  try {
    assert.equal((await call(`${sb.asUrl}/version`)).status, 503);
    assert.equal((await call(`${sb.asUrl}/version`)).status, 200);

    sb.setFaults({ rules: [{ path: "/version", kind: "status", status: 429 }] });
    const limited = await call(`${sb.asUrl}/version`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "1");
    assert.throws(() => sb.setFaults({ rules: [{ kind: "boom" as "drop" }] }), /kind "boom"/);

    assert.equal((await call(`${sb.url}/_sandbox/faults`)).status, 401);
    const put = await call(`${sb.url}/_sandbox/faults`, undefined, {
      method: "PUT",
      headers: key,
      body: "{}",
    });
    assert.deepEqual(put.json, { latencyMs: 0, jitterMs: 0, rules: [] });
    assert.equal((await call(`${sb.asUrl}/version`)).status, 200);
    assert.equal(sb.stats().faultsInjected, 2);

    const clock = await call(`${sb.url}/_sandbox/clock`, undefined, {
      method: "PUT",
      headers: key,
      body: JSON.stringify({ now: "2025-12-01T00:00:00Z" }),
    });
    assert.equal(clock.json.now, "2025-12-01T00:00:00.000Z");
    assert.equal(sb.state.now().toISOString(), "2025-12-01T00:00:00.000Z");
    const badClock = await call(`${sb.url}/_sandbox/clock`, undefined, {
      method: "PUT",
      headers: key,
      body: JSON.stringify({ now: "yesterday-ish" }),
    });
    assert.equal(badClock.status, 400);

    const t = await token(sb, { grant_type: "client_credentials", client_secret: sb.clientSecret });
    assert.equal(t.body.expires_in, 60);
  } finally {
    await sb.close();
  }
});

Deno.test("startSandbox mounts XQ under /xq with its keys, the outbox behind the admin key", async () => {
  const sb = await startSandbox({ quiet: true });
  try {
    const ok = await call(`${sb.xq.subscriptionUrl}/apikey`, undefined, {
      headers: { "api-key": sb.xq.apiKey },
    });
    assert.equal(ok.status, 200);
    const refused = await call(`${sb.xq.subscriptionUrl}/apikey`, undefined, {
      headers: { "api-key": "wrong-key" },
    });
    assert.ok(refused.status >= 400 && refused.status < 500, `got ${refused.status}`);
    assert.equal(
      (await call(`${sb.url}/xq/_outbox`, undefined, {
        headers: { "x-sandbox-admin-key": sb.adminKey },
      }))
        .status,
      200,
    );
    assert.equal(sb.stats().byService.xq, 3);
  } finally {
    await sb.close();
  }
});

Deno.test("startSandbox rejects bad options with a UsageError and a port in use", async () => {
  await assert.rejects(
    () => startSandbox({ quiet: true, faults: { latencyMs: -5 } }),
    (e: Error) => e.name === "UsageError" && /latencyMs "-5"/.test(e.message),
  );
  await assert.rejects(
    () => startSandbox({ quiet: true, now: "not a date" }),
    (e: Error) => e.name === "UsageError",
  );
  const first = await startSandbox({ quiet: true });
  try {
    const port = Number(new URL(first.url).port);
    await assert.rejects(
      () => startSandbox({ quiet: true, port }),
      (e: Error) => e.name === "UsageError" && e.message.includes(`Port ${port}`),
    );
  } finally {
    await first.close();
  }
});

Deno.test("CLI --json prints one JSON line first, serves the AS, stops on SIGTERM", async () => {
  const child = scriptCommand(MAIN, ["--port", "0", "--json", "--quiet"]).spawn();
  const stdout = readUntil(child.stdout, (text) => text.includes("\n"));
  const stderr = new Response(child.stderr).text();
  try {
    const info = JSON.parse((await stdout).text.split("\n")[0]);
    for (
      const field of ["as_url", "keycloak_url", "realm", "client_id", "client_secret", "admin_key"]
    ) {
      assert.equal(typeof info[field], "string", field);
    }
    assert.ok(Array.isArray(info.users) && info.users[0].username && info.users[0].password);
    assert.match(info.xq_subscription_url, /\/xq\/subscription\/v2$/);
    const version = await call(`${info.as_url}/version`);
    assert.equal(version.status, 200);
    assert.equal(typeof version.json.version, "string");
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await (await stdout).rest;
    const errors = await stderr;
    assert.equal(status.code, 0, errors);
  }
});

Deno.test("CLI summary: readable text, request log without secrets on stderr, stops on SIGINT", async () => {
  const child = scriptCommand(MAIN, ["--port", "0", "--seed", "4"]).spawn();
  const stdout = readUntil(child.stdout, (text) => text.includes("Press Ctrl+C"));
  const stderr = new Response(child.stderr).text();
  let text = "";
  try {
    text = (await stdout).text;
    assert.match(text, /^Squonk2 sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(seed 4,/);
    const asUrl = /SQUONK2_ASAPI_URL=(\S+)/.exec(text)![1];
    assert.equal((await call(`${asUrl}/version`)).status, 200);
    const pinUrl = asUrl.replace("/account-server-api", "/xq/subscription/v2/codevalidation");
    await call(`${pinUrl}?pin=987654`);
  } finally {
    child.kill("SIGINT");
    const status = await child.status;
    await (await stdout).rest;
    const log = await stderr;
    assert.equal(status.code, 0, log);
    assert.match(log, /GET \/account-server-api\/version 200/);
    assert.doesNotMatch(log, /987654/);
    const adminKey = /Admin key\s+(\S+)/.exec(text)![1];
    const secret = /SQUONK2_KEYCLOAK_AS_CLIENT_SECRET=(\S+)/.exec(text)![1];
    assert.ok(!log.includes(adminKey) && !log.includes(secret), "no secret on stderr");
  }
});

Deno.test("CLI --help exits 0 and bad usage exits 2", async () => {
  const help = await runScript(MAIN, ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--faults JSON/);
  const bad = await runScript(MAIN, ["--faults", "{not json"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^sandbox: Invalid --faults JSON/);
  const unknown = await runScript(MAIN, ["--bogus"]);
  assert.equal(unknown.code, 2);
});
