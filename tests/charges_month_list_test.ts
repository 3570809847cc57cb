// Issue 14 through real HTTP: calendar months (`charges --month`, the scheduled job's
// CRON_PERIODS=month), the sandbox marker on data from a standalone sandbox reached through
// the environment, `--list`, and messages (unknown options, a refused SQUONK2_ASAPI_TOKEN).
// One sandbox for the whole file, dated 2026-03-15 so that its months are fixed.
import assert from "node:assert/strict";
import Big from "big.js";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { join } from "node:path";
import { startSandbox } from "../sandbox/mod.ts";
import { parseFlags, unknownOptionMessage } from "../sandbox/cli.ts";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { openReportStore } from "../reports/store/open.ts";
import { AsApi } from "../client/as/api.ts";
import { tokenSourceFromEnv } from "../client/keycloak/mod.ts";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { entries, runScript, sandboxEnv } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/charges.ts", import.meta.url).pathname;
const sandbox = await startSandbox({ seed: 7, now: "2026-03-15T12:00:00Z", quiet: true });
const ENV = sandboxEnv(sandbox);
const { state } = sandbox;

/** The sandbox's own total of an organisation's charges in [from, until), as big.js. */
function orgTruth(orgId: string, from: string, until: string): Big {
  const range = { from: new Date(`${from}T00:00:00Z`), until: new Date(`${until}T00:00:00Z`) };
  let total = new Big(0);
  for (const p of state.products.values()) {
    if (state.units.get(p.unitId)!.orgId !== orgId) continue;
    const c = state.productCharges(p.id, range, { totalsOnly: true });
    total = total.plus(new Big(String(c.processingTenK + c.storageTenK)).div(10000));
  }
  return total;
}

const ACME = [...state.orgs.values()].find((o) => o.name.startsWith("Acme"))!;

Deno.test({
  name: "--month A..B through the environment: one file per month, named by it, marked sandbox",
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // No --sandbox: the sandbox is reached through SQUONK2_* like a real server.
      const r = await runScript(
        SCRIPT,
        ["org", ACME.id, "--month", "2026-02..2026-01", "--out-dir", dir, "--json"],
        ENV,
      );
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.sandbox, true, "the answers' header marks the run");
      assert.deepEqual(doc.reports.map((x: { period: { label: string } }) => x.period.label), [
        "January 2026 (calendar month, 2026-01-01 to 2026-02-01 excl.)",
        "February 2026 (calendar month, 2026-02-01 to 2026-03-01 excl.)",
      ]);
      const slug = "acme-chemistry-ltd";
      assert.deepEqual((await entries(dir)).sort(), [
        `charges_organisation_${slug}_2026-01_sandbox.csv`,
        `charges_organisation_${slug}_2026-01_sandbox.xlsx`,
        `charges_organisation_${slug}_2026-02_sandbox.csv`,
        `charges_organisation_${slug}_2026-02_sandbox.xlsx`,
      ]);
      // February's CSV: every row SANDBOX, dated in February, coins as the sandbox has them.
      const records: string[][] = parse(
        await Deno.readTextFile(join(dir, `charges_organisation_${slug}_2026-02_sandbox.csv`)),
      );
      const [header, ...rows] = records;
      const at = (h: string) => header.indexOf(h);
      assert.equal(header.at(-1), "data_source");
      assert.ok(rows.length > 0);
      assert.ok(rows.every((row) => row[at("data_source")] === "SANDBOX"));
      assert.ok(rows.every((row) => row[at("timestamp_utc")].startsWith("2026-02")));
      assert.ok(
        oracleSum(rows.map((row) => row[at("coins")])).eq(
          orgTruth(ACME.id, "2026-02-01", "2026-03-01"),
        ),
      );
      // The XLSX Summary carries the red SANDBOX DATA line too.
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, `charges_organisation_${slug}_2026-02_sandbox.xlsx`));
      const texts: string[] = [];
      wb.getWorksheet("Summary")!.eachRow((row) => {
        const cells: string[] = [];
        row.eachCell((c) => cells.push(c.text));
        texts.push(cells.join(" | "));
      });
      assert.ok(texts.some((t) => t.includes("SANDBOX DATA")), texts.join("\n"));
      assert.ok(texts.some((t) => t.includes("February 2026")), texts.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("--sandbox --out x.csv carries the data_source column", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "x.csv");
    const r = await runScript(SCRIPT, ["org", ACME.name, "--sandbox", "--out", out], {});
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows]: string[][] = parse(await Deno.readTextFile(out));
    assert.equal(header[header.length - 1], "data_source");
    assert.ok(rows.length > 0 && rows.every((row) => row.at(-1) === "SANDBOX"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--list organisations|units|products prints names and ids, --json too", async () => {
  const unit0 = [...state.units.values()].find((u) => u.orgId === ACME.id)!;
  // Two subprocesses at a time: the machine has two cores.
  const [orgs, units] = await Promise.all([
    runScript(SCRIPT, ["--list", "organisations"], ENV),
    runScript(SCRIPT, ["--list", "units", ACME.name, "--json"], ENV),
  ]);
  const [products, near] = await Promise.all([
    runScript(SCRIPT, ["--list", "products", unit0.id, "--json"], ENV),
    // A near miss lists the candidates; --sandbox works as well.
    runScript(SCRIPT, ["--list", "units", "Acme", "--sandbox"], {}),
  ]);
  assert.equal(orgs.code, 0, orgs.stderr);
  assert.match(orgs.stdout, /^NAME\s+ID$/m);
  for (const o of state.orgs.values()) {
    assert.match(orgs.stdout, new RegExp(`^${escape(o.name)}\\s+${o.id}$`, "m"), o.name);
  }
  assert.match(orgs.stdout, new RegExp(`^${state.orgs.size} organisations$`, "m"));

  assert.equal(units.code, 0, units.stderr);
  const unitDoc = JSON.parse(units.stdout);
  assert.equal(unitDoc.within.id, ACME.id);
  const acmeUnits = [...state.units.values()].filter((u) => u.orgId === ACME.id);
  assert.deepEqual(
    unitDoc.entries.map((e: { id: string }) => e.id).sort(),
    acmeUnits.map((u) => u.id).sort(),
  );

  assert.equal(products.code, 0, products.stderr);
  const expected = [...state.products.values()].filter((p) => p.unitId === unit0.id);
  assert.deepEqual(
    JSON.parse(products.stdout).entries.map((e: { id: string; name: string }) => e.name).sort(),
    expected.map((p) => p.name).sort(),
  );

  assert.equal(near.code, 2);
  assert.match(near.stderr, /Unknown organisation "Acme".*candidates: "Acme Chemistry/);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("CRON_PERIODS=month: the job stores each organisation's last calendar month", async () => {
  const dir = await Deno.makeTempDir();
  const store = await openReportStore(dir);
  try {
    const env = (n: string) => ENV[n];
    // Not told it is a sandbox: the answers' header says so.
    const ctx = {
      api: new AsApi({ url: sandbox.asUrl, env }),
      tokens: tokenSourceFromEnv(env),
      sourceUrl: sandbox.asUrl,
      sandbox: false,
    };
    const result = await runExportCycle(ctx, {
      at: new Date("2026-03-02T02:15:00Z"),
      store,
      lookBackDays: 10,
      formats: ["csv"],
      periods: ["month"],
    });
    assert.deepEqual(result.failed, []);
    const acme = result.exported.find((e) => e.scopeId === ACME.id)!;
    assert.equal(acme.month, "2026-02");
    assert.equal(acme.stored[0].name, `charges_organisation_${ACME.id}_month_2026-02_sandbox.csv`);
    assert.equal(
      acme.stored[0].period.label,
      "February 2026 (calendar month, 2026-02-01 to 2026-03-01 excl.)",
    );
    assert.ok(new Big(acme.stored[0].totalCoins).eq(orgTruth(ACME.id, "2026-02-01", "2026-03-01")));
    // Only months: no billing-period files.
    assert.ok(result.exported.every((e) => e.month === "2026-02"));
    assert.equal(result.exported.length, new Set(result.exported.map((e) => e.scopeId)).size);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("messages: unknown options suggest the closest; a refused token names its variable", async () => {
  const options = ["sandbox", "pbp", "month", "out-dir", "out", "format", "list"];
  assert.equal(
    unknownOptionMessage("--sandbx", options),
    "Unknown option --sandbx: did you mean --sandbox? Run with --help to see the options",
  );
  assert.equal(
    unknownOptionMessage("--outdir=x", options),
    "Unknown option --outdir: did you mean --out-dir? Run with --help to see the options",
  );
  assert.equal(
    unknownOptionMessage("--frobnicate", options),
    "Unknown option --frobnicate. Run with --help to see the options",
  );
  // A flag without its value names the flag (and the --flag=-5 spelling), not Node's text.
  const flags = {
    options: { list: { type: "string" as const }, sandbox: { type: "boolean" as const } },
  };
  assert.throws(
    () => parseFlags(["--list"], flags),
    /Option --list needs a value\. Run with --help/,
  );
  assert.throws(
    () => parseFlags(["--list", "--sandbox"], flags),
    /Option --list needs a value, and the word after it starts with a dash: .* --list=VALUE \(e\.g\. --list=-5\)\. Run with --help/,
  );
  const r = await runScript(SCRIPT, ["all"], {
    SQUONK2_ASAPI_URL: sandbox.asUrl,
    SQUONK2_ASAPI_TOKEN: "not-a-valid-token",
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /HTTP 401.*SQUONK2_ASAPI_TOKEN was refused/);
  assert.doesNotMatch(r.stderr, /not-a-valid-token/);
});

Deno.test("a timeout advises SQUONK2_ASAPI_TIMEOUT_S, which a bad value names", async () => {
  // A server that never answers: the fetch waits until the transport gives up.
  const hang: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
    });
  const api = new AsApi({
    url: "http://127.0.0.1:9/account-server-api",
    env: (n) => ({ SQUONK2_ASAPI_TIMEOUT_S: "1" } as Record<string, string>)[n],
    fetch: hang,
    attempts: 1,
  });
  const rv = await api.getAvailableProducts("token");
  assert.equal(rv.success, false);
  const text = rv.success ? "" : rv.msg.error;
  assert.match(text, /raise SQUONK2_ASAPI_TIMEOUT_S \(seconds, now 1\)/);
  assert.doesNotMatch(text, /timeoutS/);
  assert.throws(
    () => new AsApi({ env: (n) => (n === "SQUONK2_ASAPI_TIMEOUT_S" ? "soon" : undefined) }),
    /SQUONK2_ASAPI_TIMEOUT_S "soon" is invalid: .* from 1 to 600/,
  );
});

Deno.test("the sandbox marks every answer: AS, Keycloak, XQ, errors and 404s", async () => {
  const urls = [
    `${sandbox.asUrl}/version`,
    `${sandbox.asUrl}/product`, // 401: no token
    `${sandbox.keycloakUrl}/realms/${sandbox.realm}/.well-known/openid-configuration`,
    `${sandbox.url}/xq/nowhere`,
    `${sandbox.url}/nowhere`,
  ];
  for (const url of urls) {
    const res = await fetch(url);
    await res.body?.cancel();
    assert.equal(res.headers.get("x-squonk2-sandbox"), "1", `${url} (${res.status})`);
  }
});

Deno.test("sandbox: the file's last test closes it", async () => {
  await sandbox.close();
});
