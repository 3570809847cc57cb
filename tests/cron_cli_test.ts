/**
 * `deno task cron` as a subprocess: `--once --sandbox` prints what it exported (table or
 * JSON) and a second run exports nothing; bad flags and settings exit 2; without `--once`
 * (the Deno Deploy mode) it registers the cron, serves the report server over the same
 * store (or, without credentials, a stand-in: tests/cron_deploy_test.ts), and stops cleanly
 * on SIGTERM.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readUntil, runScript, scriptCommand, stopChild } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/cron.ts", import.meta.url).pathname;

function command(args: string[], env: Record<string, string> = {}): Deno.Command {
  return scriptCommand(SCRIPT, args, env);
}

function run(args: string[], env: Record<string, string> = {}, cwd?: string) {
  return runScript(SCRIPT, args, env, { cwd });
}

Deno.test("--once --sandbox exports the closed periods, prints them, and a re-run exports nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cron_cli_" });
  try {
    const store = join(dir, "store");
    const first = await run([
      "--once",
      "--sandbox",
      "--at",
      "2026-11-03T02:15:00Z",
      "--store",
      store,
      "--json",
    ]);
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout);
    assert.equal(result.day, "2026-11-03");
    assert.equal(result.sandbox, true);
    assert.equal(result.store, store);
    assert.deepEqual(result.failed, []);
    assert.ok(result.exported.length > 0);
    const files = (await Array.fromAsync(Deno.readDir(store))).map((e) => e.name);
    for (const e of result.exported) {
      for (const name of e.files) {
        assert.ok(files.includes(name), name);
        assert.ok(files.includes(`${name}.meta.json`), name);
      }
    }
    const second = await run(["--once", "--sandbox", "--at", "2026-11-03", "--store", store]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^Scheduled run for 2026-11-03 .*\(SANDBOX DATA\)/);
    assert.match(
      second.stdout,
      new RegExp(`Exported 0, already stored ${result.exported.length}, failed 0`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad flags and settings exit 2 naming the fix; --help exits 0", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /CRON_SCHEDULE/);
  assert.match(help.stdout, /--once/);
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["--once", "--at", "2026-02-30"], {}, /Cannot read --at "2026-02-30"/],
    [["--at", "2026-11-03"], {}, /need --once/],
    [["--once", "--bogus"], {}, /bogus/],
    [["--once", "--sandbox", "--at", "2026-11-03"], { CRON_FORMATS: "pdf" }, /CRON_FORMATS "pdf"/],
    [[], { CRON_SCHEDULE: "every day" }, /cron schedule "every day"/],
    [["--once"], {}, /SQUONK2_ASAPI_URL is not set/],
  ];
  const cwd = await Deno.makeTempDir({ prefix: "cron_cli_bad_" });
  try {
    for (const [args, env, message] of cases) {
      const out = await run(args, env, cwd);
      assert.equal(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
      assert.match(out.stderr, message);
      assert.equal(out.stdout, "");
    }
    // Nothing was written: not even the default store directory.
    assert.deepEqual(await Array.fromAsync(Deno.readDir(cwd)), []);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("without --once: the Deploy mode serves the report server over the store and stops on SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cron_svc_" });
  const child = command(["--sandbox", "--port", "0", "--store", dir]).spawn();
  const stdout = new Response(child.stdout).text();
  try {
    const { text, rest } = await readUntil(
      child.stderr,
      (t) => /access secret: \S+\n/.test(t) && /report server on /.test(t),
    );
    assert.match(text, /squonk2-billing-export scheduled; report store /);
    const url = /report server on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
    const secret = /access secret: (\S+)/.exec(text)?.[1];
    assert.ok(url && secret, text);
    const health = await fetch(new URL("healthz", url));
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const archive = await fetch(new URL("archive", url), {
      headers: { Authorization: `Bearer ${secret}`, Accept: "application/json" },
    });
    assert.equal(archive.status, 200);
    assert.deepEqual((await archive.json()).reports, []);
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
    assert.ok(!(await rest).includes(secret), "the secret is printed once only");
  } finally {
    await stopChild(child, stdout);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without --once and without server credentials, the job still runs and says why there is no report server", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cron_svc_" });
  const child = command(["--store", dir, "--port", "0"], {
    SQUONK2_ASAPI_URL: "http://127.0.0.1:9/account-server-api",
    SQUONK2_ASAPI_TOKEN: "static-token-for-test",
  }).spawn();
  const stdout = new Response(child.stdout).text();
  try {
    const { text, rest } = await readUntil(
      child.stderr,
      (t) => /Report server not started.*\n/.test(t) && /scheduled; report store /.test(t),
    );
    assert.match(text, /REPORTS_AUTH_TOKENS/);
    assert.match(text, /scheduled; report store /);
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
    assert.ok(!(text + (await rest)).includes("static-token-for-test"));
  } finally {
    await stopChild(child, stdout);
    await Deno.remove(dir, { recursive: true });
  }
});
