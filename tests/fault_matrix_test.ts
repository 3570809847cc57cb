// Issue 12's matrix: each malformed-answer fault of the sandbox (an empty 200, a field of the
// wrong type, an HTML page) on every charges answer, against `charges` for each scope
// (organisation, unit, product, all) and `cron --once`. Every run must end loud: exit 1 with
// the client's message naming the endpoint, and nothing written or stored (a previous good
// file stays as it was). The report server and onboarding have their own matrix tests
// (server_malformed_test.ts, onboard_faults_test.ts).
import assert from "node:assert/strict";
import { join } from "node:path";
import type { FaultRule } from "../sandbox/faults_config.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { entries, runScript, sandboxEnv, type ScriptRun } from "./fixtures/script_run.ts";

const CHARGES = new URL("../scripts/charges.ts", import.meta.url).pathname;
const CRON = new URL("../scripts/cron.ts", import.meta.url).pathname;

/** Every charges answer spoiled; `coins` is in all four charges answer types. */
const FAULTS: [string, FaultRule, RegExp][] = [
  ["empty 200", { kind: "empty-body", path: "/charges/**" }, /got an empty body/],
  [
    "coins of the wrong type",
    { kind: "wrong-type", path: "/charges/**", field: "coins" },
    /coins: expected (a decimal string|string), got number/,
  ],
  ["HTML page", { kind: "html", path: "/charges/**" }, /got an HTML page/],
];

/** How each scope is named on the command line, from the sandbox's own records. */
function scopes(sandbox: RunningSandbox): [string, string[]][] {
  const acme = [...sandbox.state.orgs.values()].find((o) => o.name === "Acme Chemistry, Ltd.")!;
  const unit = [...sandbox.state.units.values()].find((u) => u.orgId === acme.id)!;
  const product = [...sandbox.state.products.values()].find((p) => p.unitId === unit.id)!;
  return [
    ["organisation", ["org", acme.id]],
    ["unit", ["unit", unit.id]],
    ["product", ["product", product.id]],
    ["all", ["all"]],
  ];
}

function assertLoud(run: ScriptRun, problem: RegExp, what: string): void {
  assert.equal(run.code, 1, `${what}: exit 1\n${run.stderr}`);
  assert.match(run.stderr, /AS answered GET \/charges/, `${what}: names the endpoint`);
  assert.match(run.stderr, problem, `${what}: says what was wrong`);
  assert.doesNotMatch(run.stderr, /TypeError|internal error|\n\s+at /, what);
}

Deno.test("charges: every malformed-answer fault x every scope exits 1 and writes nothing", async () => {
  const sandbox = await startSandbox({ port: 0, seed: 3, quiet: true });
  const dir = await Deno.makeTempDir({ prefix: "fault_matrix_" });
  try {
    const env = sandboxEnv(sandbox);
    for (const [name, rule, problem] of FAULTS) {
      sandbox.setFaults({ rules: [rule] });
      const runs = scopes(sandbox).map(async ([scope, args]) => {
        const out = join(dir, `${rule.kind}-${scope}`);
        await Deno.mkdir(out);
        await Deno.writeTextFile(join(out, "previous.csv"), "a previous good file\n");
        const run = await runScript(CHARGES, [...args, "--out-dir", out], env);
        assertLoud(run, problem, `${name}, ${scope}`);
        assert.deepEqual(await entries(out), ["previous.csv"], `${name}, ${scope}: no file`);
        assert.equal(await Deno.readTextFile(join(out, "previous.csv")), "a previous good file\n");
      });
      await Promise.all(runs);
    }
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cron --once: every malformed-answer fault exits 1 and stores nothing", async () => {
  const sandbox = await startSandbox({
    port: 0,
    seed: 3,
    quiet: true,
    now: "2026-11-08T12:00:00Z",
  });
  const dir = await Deno.makeTempDir({ prefix: "fault_matrix_cron_" });
  try {
    const env = { ...sandboxEnv(sandbox), CRON_LOOK_BACK_DAYS: "35", CRON_FORMATS: "csv" };
    // The sandbox's faults are shared, so the kinds run one after another.
    for (const [name, rule, problem] of FAULTS) {
      sandbox.setFaults({ rules: [rule] });
      const store = join(dir, rule.kind);
      const run = await runScript(
        CRON,
        ["--once", "--at", "2026-11-08T02:15:00Z", "--store", store],
        env,
      );
      assertLoud(run, problem, `cron, ${name}`);
      assert.match(run.stderr, /not stored; the next run tries again/, `cron, ${name}`);
      const left = await entries(store);
      assert.deepEqual(left.filter((n) => !n.startsWith(".")), [], `cron, ${name}: nothing stored`);
    }
    // Without the fault, the same run stores reports: the failures above were the faults'.
    sandbox.setFaults({});
    const clean = await runScript(
      CRON,
      ["--once", "--at", "2026-11-08T02:15:00Z", "--store", join(dir, "clean")],
      env,
    );
    assert.equal(clean.code, 0, clean.stderr);
    assert.ok((await entries(join(dir, "clean"))).some((n) => n.endsWith(".csv")), clean.stdout);
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
});
