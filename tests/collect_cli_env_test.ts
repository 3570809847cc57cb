// `deno task charges` as a subprocess configured from the environment (SQUONK2_* pointing at
// a sandbox this test starts): retries through transient faults, exit 1 and no file on a
// permanent failure, exit 2 on an ambiguous name, and no secret in any message.
import assert from "node:assert/strict";
import { join } from "node:path";
import Big from "big.js";
import { Coins } from "../client/coins.ts";
import { unwrap } from "../client/as/api_rv.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import { entries, runScript, sandboxEnv, type ScriptRun } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/charges.ts", import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript(SCRIPT, args, env);
}

Deno.test("from the environment: retries through 503s, fails cleanly on a permanent 500", async () => {
  const sandbox = await startSandbox({ port: 0, seed: 5, quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const env = sandboxEnv(sandbox);
    const conn = sandboxConnection(sandbox);
    const token = await conn.tokens.getToken();
    const products = unwrap(await conn.api.getAvailableProducts(token)).products;
    const acme = products.filter((p) => p.organisation.name === "Acme Chemistry, Ltd.");

    sandbox.setFaults({
      rules: [{ path: "/charges/product/*", kind: "status", status: 503, times: 2 }],
    });
    const ok = await run(
      ["org", "Acme Chemistry, Ltd.", "--out-dir", join(dir, "ok"), "--json"],
      env,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(sandbox.stats().faultsInjected, 2);
    const doc = JSON.parse(ok.stdout);
    // Not asked with --sandbox, but the answers carry the sandbox's header: marked.
    assert.equal(doc.sandbox, true);
    assert.equal(doc.reports[0].reconciliation.ok, true);
    assert.equal((await entries(join(dir, "ok"))).length, 2);

    const victim = acme[acme.length - 1].product.id;
    sandbox.setFaults({
      rules: [{ path: `/charges/product/${victim}`, kind: "status", status: 500 }],
    });
    const bad = await run(["org", "Acme Chemistry, Ltd.", "--out-dir", join(dir, "bad")], env);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, new RegExp(`${victim}.*500`));
    assert.ok(!bad.stderr.includes(sandbox.clientSecret), "no secret in the message");
    assert.ok(!bad.stderr.includes(token), "no token in the message");
    assert.deepEqual(await entries(join(dir, "bad")), []);

    // An ambiguous name (a second product of the same name) is bad input: exit 2.
    sandbox.setFaults({});
    unwrap(
      await conn.api.createProduct(token, {
        productName: acme[0].product.name!,
        unitId: acme[1].unit.id,
        productType: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
        flavour: "BRONZE",
      }),
    );
    const amb = await run(["product", acme[0].product.name!, "--out-dir", join(dir, "amb")], env);
    assert.equal(amb.code, 2, amb.stderr);
    assert.match(amb.stderr, /ambiguous \(2 match\): give the id instead/);
    assert.ok(amb.stderr.includes(acme[0].product.id));
    assert.deepEqual(await entries(join(dir, "amb")), []);
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server total that disagrees: exit 1 naming where and the flag, no file; --allow-mismatch writes it stated", async () => {
  const sandbox = await startSandbox({ port: 0, seed: 5, quiet: true });
  // A proxy in front of the sandbox that adds 0.0001 to every organisation total it reports.
  const proxy = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const upstream = await fetch(`${sandbox.url}${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers,
      body: req.method === "GET" ? undefined : await req.arrayBuffer(),
    });
    if (!url.pathname.includes("/charges/organisation/") || upstream.status !== 200) {
      return new Response(await upstream.arrayBuffer(), upstream);
    }
    const body = await upstream.json();
    body.coins = Coins.parse(body.coins).plus("0.0001").toString();
    return Response.json(body);
  });
  const dir = await Deno.makeTempDir();
  try {
    const base = `http://127.0.0.1:${proxy.addr.port}`;
    const env = {
      ...sandboxEnv(sandbox),
      SQUONK2_ASAPI_URL: `${base}/account-server-api`,
      SQUONK2_KEYCLOAK_URL: `${base}/auth`,
    };
    // The default (and --strict, still accepted): an error naming the mismatch and the flag.
    for (const extra of [[], ["--strict"]]) {
      const out = join(dir, `strict${extra.length}`);
      const strict = await run(["org", "=SUM(A1) Labs", ...extra, "--out-dir", out], env);
      assert.equal(strict.code, 1, strict.stderr);
      assert.match(
        strict.stderr,
        /^charges: Not reconciled with the Account Server's totals, so nothing was written: organisation "=SUM\(A1\) Labs" \(org-[0-9a-f-]+\), prior billing period -1.*: 1 of \d+ checks disagree with the server's totals: organisation org-[0-9a-f-]+ \(=SUM\(A1\) Labs\) total: computed ([\d.]+), server ([\d.]+)\..*add --allow-mismatch/,
      );
      const [, computed, server] = /computed (\d+(?:\.\d+)?), server (\d+(?:\.\d+)?)/.exec(
        strict.stderr,
      )!;
      assert.equal(new Big(server).minus(computed).toString(), "0.0001", strict.stderr);
      assert.doesNotMatch(strict.stderr, /\n\s+at /, "no stack without --debug");
      assert.deepEqual(await entries(out), []);
    }

    const lax = await run(
      ["org", "=SUM(A1) Labs", "--allow-mismatch", "--out-dir", join(dir, "lax")],
      env,
    );
    assert.equal(lax.code, 0, lax.stderr);
    assert.match(
      lax.stderr,
      /warning: NOT RECONCILED, written as asked \(--allow-mismatch\): organisation .* total: computed/,
    );
    assert.match(lax.stdout, /1 of \d+ checks DISAGREE/);
    const files = (await entries(join(dir, "lax"))).sort();
    assert.equal(files.length, 2);
    for (const f of files) assert.match(f, /_unreconciled_sandbox\.(csv|xlsx)$/);
  } finally {
    await proxy.shutdown();
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});
