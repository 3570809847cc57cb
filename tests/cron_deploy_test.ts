/**
 * The job as Deno Deploy runs it (scripts/deploy.ts, scripts/cron_service.ts):
 * - `Deno.cron` is registered once, with the validated schedule, before anything is opened
 *   or served; a bad `CRON_SCHEDULE` stops the process before it, naming the variable;
 * - the handler does nothing outside the production timeline, and says so;
 * - without report-server credentials the process still serves `/healthz` and a 503 page;
 * - a KV database that cannot be verified as durable is refused, loudly, with a failed run;
 * - SIGTERM mid-run lets the run finish or abandon its report before KV closes, leaving no
 *   orphan chunk or upload record, and the next run completes the store.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { parseCronSchedule } from "../reports/schedule/cron.ts";
import { cronRunGate } from "../reports/schedule/guard.ts";
import { createScheduledRun, ScheduledRunError } from "../reports/schedule/job.ts";
import { verifyDurableStore } from "../reports/store/durable.ts";
import { createKvStore } from "../reports/store/kv.ts";
import { openReportStore } from "../reports/store/open.ts";
import { StoreError } from "../client/errors.ts";
import { runAt, startCronSandbox } from "./fixtures/cron_helpers.ts";
import { cleanEnv, readUntil, scriptCommand, stopChild } from "./fixtures/script_run.ts";

const ENTRY_CHILD = new URL("./fixtures/deploy_entry_child.ts", import.meta.url).pathname;
const STOP_CHILD = new URL("./fixtures/cron_stop_child.ts", import.meta.url).pathname;
const CRON = new URL("../scripts/cron.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

async function entry(env: Record<string, string>, args: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, ENTRY_CHILD, ...args],
    env: cleanEnv(env),
    clearEnv: true,
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("the Deploy entry registers Deno.cron once, with the validated schedule, before anything else", async () => {
  const out = await entry({ CRON_SCHEDULE: "  0 3  * * MON " });
  assert.equal(out.code, 0, out.stderr);
  const events: unknown[][] = JSON.parse(out.stdout.split("\n")[0]);
  assert.deepEqual(events[0], ["cron", "squonk2-billing-export", "0 3 * * MON"]);
  assert.equal(events.filter((e) => e[0] === "cron").length, 1);
  // Then the store (default "kv") and the HTTP server.
  const rest = events.slice(1).map((e) => e[0]);
  assert.ok(rest.includes("openKv") && rest.includes("serve"), JSON.stringify(events));
});

Deno.test("a schedule Deno.cron would refuse stops the Deploy entry before registration, naming the field", async () => {
  const out = await entry({ CRON_SCHEDULE: "15 2 * * 0" });
  assert.equal(out.code, 2);
  assert.match(out.stderr, /CRON_SCHEDULE is invalid/);
  assert.match(out.stderr, /day-of-week field "0"/);
  assert.match(out.stderr, /1 is Sunday/);
  assert.equal(out.stdout, "");
});

Deno.test("outside production the handler does nothing and says so", async () => {
  const out = await entry({ DENO_TIMELINE: "git-branch/feature-x" }, ["fire"]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /FIRED/);
  assert.match(
    out.stderr,
    /squonk2-billing-export fired but does nothing here: timeline git-branch\/feature-x is not production/,
  );
  assert.doesNotMatch(out.stderr, /Run for|REFUSED|failed/);
});

Deno.test("cronRunGate: production and local runs go ahead, other timelines only when asked", () => {
  const gate = (env: Record<string, string>) => cronRunGate((n) => env[n]).run;
  assert.equal(gate({}), true);
  assert.equal(gate({ DENO_TIMELINE: "production" }), true);
  assert.equal(gate({ DENO_TIMELINE: "git-branch/main" }), false);
  assert.equal(gate({ DENO_TIMELINE: "preview/abc" }), false);
  assert.equal(gate({ DENO_TIMELINE: "preview/abc", CRON_ENABLED: "yes" }), true);
  assert.equal(gate({ DENO_TIMELINE: "production", CRON_ENABLED: "no" }), false);
  assert.throws(() => gate({ CRON_ENABLED: "maybe" }), /CRON_ENABLED "maybe"/);
});

Deno.test("without report-server credentials the process serves /healthz and a 503 page over loopback", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cron_warm_" });
  const child = scriptCommand(CRON, ["--store", dir, "--port", "0"], {}).spawn();
  const stdout = new Response(child.stdout).text();
  try {
    const { text } = await readUntil(child.stderr, (t) => /on http:\/\/127\.0\.0\.1:\d+\//.test(t));
    assert.match(text, /Report server not started/);
    const url = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
    assert.ok(url, text);
    const health = await fetch(new URL("healthz", url));
    assert.equal(health.status, 200);
    const body = await health.json();
    assert.equal(body.reportServer.configured, false);
    const page = await fetch(url);
    assert.equal(page.status, 503);
    const html = await page.text();
    assert.match(html, /REPORTS_AUTH_TOKENS/);
    assert.match(html, /SQUONK2_ASAPI_URL/);
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
  } finally {
    await stopChild(child, stdout);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a KV database no other instance has seen is refused on Deploy; a shared one is verified", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cron_durable_" });
  try {
    // Per instance (what Deploy gives an app without an assigned database): each instance
    // has its own, so the marker it finds is always its own.
    const scratch = createKvStore(await Deno.openKv(":memory:"), { location: "kv" });
    await scratch.claimMarker("instance-a"); // written at start-up
    await assert.rejects(
      verifyDurableStore(scratch, { spec: "kv", onDeploy: true, instance: "instance-a" }),
      (e: Error) =>
        e instanceof StoreError &&
        /cannot verify that the KV database is durable/.test(e.message) &&
        /deno deploy database assign/.test(e.message),
    );
    scratch.close();
    // Shared (an assigned database): instance B sees instance A's marker.
    const path = join(dir, "shared.kv");
    const a = createKvStore(await Deno.openKv(path), { location: "kv" });
    await a.claimMarker("instance-a");
    a.close();
    const b = createKvStore(await Deno.openKv(path), { location: "kv" });
    await verifyDurableStore(b, { spec: "kv", onDeploy: true, instance: "instance-b" });
    b.close();
    // In memory never; a file path not on Deploy; a file path on Deploy never.
    const mem = await openReportStore("kv::memory:");
    await assert.rejects(
      verifyDurableStore(mem, { spec: "kv::memory:", onDeploy: false, instance: "x" }),
      StoreError,
    );
    await assert.rejects(
      verifyDurableStore(mem, { spec: "kv:/tmp/x.kv", onDeploy: true, instance: "x" }),
      /lost when an instance stops/,
    );
    await verifyDurableStore(mem, { spec: "kv:/tmp/x.kv", onDeploy: false, instance: "x" });
    mem.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a refused store fails the run loudly and exports nothing", async () => {
  const lines: string[] = [];
  let connected = false;
  const store = await openReportStore("kv::memory:");
  try {
    const run = createScheduledRun({
      config: { schedule: parseCronSchedule("15 2 * * *"), lookBackDays: 1, formats: ["csv"] },
      store,
      connect: () => {
        connected = true;
        return Promise.reject(new Error("not reached"));
      },
      verifyStore: () => verifyDurableStore(store, { spec: "kv", onDeploy: true, instance: "i" }),
      log: (l) => lines.push(l),
    });
    await assert.rejects(run(), ScheduledRunError);
    assert.equal(connected, false);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^cron: REFUSED run for .*: cannot verify that the KV database is durable/,
    );
    assert.deepEqual(await store.list(), []);
  } finally {
    store.close();
  }
});

/** Keys left by unfinished uploads, and chunks no metadata refers to. */
async function leftovers(path: string): Promise<{ uploads: number; orphans: number }> {
  const kv = await Deno.openKv(path);
  try {
    const uploads = (await Array.fromAsync(kv.list({ prefix: ["squonk2-reports", "upload"] })))
      .length;
    const live = new Map<string, string>();
    for await (
      const e of kv.list<{ upload: { id: string } }>({ prefix: ["squonk2-reports", "meta"] })
    ) {
      live.set(String(e.key[2]), e.value.upload.id);
    }
    let orphans = 0;
    for await (const e of kv.list({ prefix: ["squonk2-reports", "chunk"] })) {
      if (live.get(String(e.key[2])) !== e.key[3]) orphans++;
    }
    return { uploads, orphans };
  } finally {
    kv.close();
  }
}

async function stopMidRun(path: string, graceMs: number, delayMs: number): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, STOP_CHILD, path, String(graceMs), String(delayMs)],
    env: cleanEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const { text, rest } = await readUntil(child.stdout, (t) => t.includes("PUT"));
  assert.match(text, /PUT/);
  child.kill("SIGTERM");
  const status = await child.status;
  const out = text + await rest;
  const err = await stderr;
  assert.equal(status.code, 0, err);
  assert.match(out, /STOPPED true/, err);
  return err;
}

for (
  const [what, grace, delay] of [["finishes its report", 5000, 20], [
    "abandons its report",
    50,
    400,
  ]] as const
) {
  Deno.test(`SIGTERM mid-run: the run ${what}, KV closes after it, and the next run leaves no orphan`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "cron_stop_" });
    const path = join(dir, "store.kv");
    try {
      const log = await stopMidRun(path, grace, delay);
      assert.doesNotMatch(log, /Bad resource ID/);
      assert.match(log, grace > 1000 ? /stopped at shutdown/ : /abandoned at shutdown/);
      assert.deepEqual(await leftovers(path), { uploads: 0, orphans: 0 });
      // The next run stores what is missing and leaves nothing behind.
      const env = await startCronSandbox({ now: "2026-11-08T12:00:00Z" });
      const store = await openReportStore(`kv:${path}`);
      try {
        const result = await runExportCycle(env.ctx, {
          at: runAt("2026-11-03"),
          store,
          lookBackDays: 10,
          formats: ["csv"],
          log: () => {},
        });
        assert.deepEqual(result.failed, []);
        assert.ok(result.exported.length > 0);
      } finally {
        store.close();
        await env.close();
      }
      assert.deepEqual(await leftovers(path), { uploads: 0, orphans: 0 });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
