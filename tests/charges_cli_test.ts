// `deno task charges` as a subprocess: exit codes, messages that name the fix, nothing
// written on bad arguments or failures, retries through transient faults, --json output.
import assert from "node:assert/strict";
import Big from "big.js";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { join } from "node:path";
import { unwrap } from "../client/as/api_rv.ts";
import type { AnyProduct } from "../client/types.ts";
import { type FaultRule, startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import { UsageError } from "../client/errors.ts";
import { parseChargesArgs } from "../scripts/charges.ts";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { entries, runScript, sandboxEnv, type ScriptRun } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/charges.ts", import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript(SCRIPT, args, env);
}

Deno.test("a SQUONK2_ASAPI_URL that is not an http(s) URL exits 2 naming the variable", async () => {
  const r = await run(["all"], {
    SQUONK2_ASAPI_URL: "notaurl",
    SQUONK2_ASAPI_TOKEN: "a-token-that-must-not-show",
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^charges: SQUONK2_ASAPI_URL "notaurl" is not an http\(s\) URL/);
  assert.doesNotMatch(r.stderr, /a-token-that-must-not-show/);
});

Deno.test("an --out-dir that is a file, or an --out that is a directory, exits 2 before any request", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "afile");
    await Deno.writeTextFile(file, "x");
    // No SQUONK2_ASAPI_URL: the place is checked first, so no request could be made.
    const asDir = await run(["all", "--out-dir", file]);
    assert.equal(asDir.code, 2, asDir.stderr);
    assert.match(asDir.stderr, /--out-dir ".*afile" is a file, not a directory/);
    const folder = join(dir, "x.csv");
    await Deno.mkdir(folder);
    const asFile = await run(["all", "--out", folder]);
    assert.equal(asFile.code, 2, asFile.stderr);
    assert.match(asFile.stderr, /--out ".*" is a directory: give a file name/);
    assert.equal(await Deno.readTextFile(file), "x");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad arguments exit 2 with a message naming the fix, and write nothing", async () => {
  const dir = await Deno.makeTempDir();
  const out = join(dir, "out");
  const cases: [string[], RegExp][] = [
    [["org", "Acme", "--pbp", "1"], /in the future: use 0 .* -23/],
    [["org", "Acme", "--pbp", "-24"], /from -23 to 0/],
    [["org", "Acme", "--pbp", "-30..-1"], /from -23 to 0/],
    [["org", "Acme", "--from", "2026-02-01", "--until", "2026-01-01"], /not before --until/],
    [["org", "Acme", "--from", "2026-1-01", "--until", "2026-02-01"], /YYYY-MM-DD/],
    [["org", "Acme", "--from", "2026-01-01"], /Missing --until/],
    [["org", "Acme", "--format", "pdf"], /Unknown format "pdf".*xlsx, csv/],
    [["all", "--out", join(out, "x.csv"), "--format", "csv,xlsx"], /use --out-dir/],
    [["all", "--pbp", "-3..-1", "--out", join(out, "x.xlsx")], /makes 3: use --out-dir/],
    [["team", "X"], /Unknown scope "team": use org, unit, product/],
    [["unit"], /needs an id or exact name/],
    [["all", "--concurrency", "0"], /integer from 1 to 64/],
    [["all", "--frobnicate"], /Unknown option --frobnicate\. Run with --help/],
    [["all", "--sandbx"], /Unknown option --sandbx: did you mean --sandbox\? Run with --help/],
    [["all", "--month", "2026-13"], /Cannot read --month "2026-13": .*YYYY-MM/],
    [["all", "--month", "2026-11", "--pbp", "-1"], /Cannot combine --month/],
    [["all", "--month", "2999-01"], /in the future/],
    [["all"], /SQUONK2_ASAPI_URL is not set.*--sandbox/],
  ];
  try {
    // Two subprocesses at a time: the machine has two cores.
    const results: ScriptRun[] = [];
    for (let i = 0; i < cases.length; i += 2) {
      results.push(
        ...await Promise.all(
          cases.slice(i, i + 2).map(([args]) =>
            run([...args, ...(args.includes("--out") ? [] : ["--out-dir", out])])
          ),
        ),
      );
    }
    results.forEach((r, i) => {
      const [args, pattern] = cases[i];
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, pattern, args.join(" "));
      assert.match(
        r.stderr,
        /^charges: [A-Z-]/,
        `script name, then an upper-case message: ${r.stderr}`,
      );
      assert.equal(r.stdout, "");
    });
    assert.deepEqual(await entries(out), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--help exits 0 and documents every option", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  for (const flag of ["--pbp", "--from", "--until", "--format", "--out", "--out-dir", "--bom"]) {
    assert.ok(r.stdout.includes(flag), flag);
  }
  assert.match(r.stdout, /--strict\s+the default now/);
  for (const flag of ["--month", "--list", "data_source", "SQUONK2_ASAPI_TIMEOUT_S"]) {
    assert.ok(r.stdout.includes(flag), flag);
  }
  for (const flag of ["--allow-mismatch", "--concurrency", "--sandbox", "--json", "--debug"]) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

Deno.test("--sandbox exports an organisation and prints what it wrote as JSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await run(["org", "=SUM(A1) Labs", "--sandbox", "--out-dir", dir, "--json", "--bom"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.sandbox, true);
    assert.equal(doc.reports.length, 1);
    const report = doc.reports[0];
    assert.equal(report.scopeName, "=SUM(A1) Labs");
    assert.equal(report.sandbox, true);
    assert.equal(report.reconciliation.ok, true);
    assert.equal(report.period.pbp, -1);
    assert.deepEqual(report.files.map((f: { format: string }) => f.format), ["xlsx", "csv"]);
    assert.deepEqual(
      (await entries(dir)).sort(),
      report.files.map((f: { path: string }) => f.path.split("/").pop()).sort(),
    );
    const csv = await Deno.readTextFile(report.files[1].path);
    // The last column says where the data came from; coins are before it.
    const lines = csv.trim().split("\r\n").slice(1);
    assert.ok(lines.every((l) => l.endsWith(",SANDBOX")));
    const coins = lines.map((l) => l.split(",").at(-2)!);
    assert.equal(coins.length, report.rowCount);
    assert.ok(oracleSum(coins).eq(report.totals.grand.coins));
    assert.ok(doc.requests > 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseChargesArgs: defaults, negative values after a space, format from --out", () => {
  const d = parseChargesArgs(["all"]);
  assert.deepEqual(d.scope, { kind: "all" });
  assert.deepEqual(d.periods, [{ pbp: -1 }]);
  assert.deepEqual(d.formats, ["xlsx", "csv"]);
  assert.equal(d.outDir, "./reports-out");
  assert.equal(d.concurrency, 16);
  assert.equal(d.allowMismatch || d.bom || d.json || d.sandbox, false, "refuse mismatches");

  const r = parseChargesArgs([
    "org",
    "My Org",
    "--pbp",
    "-11..-1",
    "--strict",
    "--concurrency",
    "3",
  ]);
  assert.deepEqual(r.scope, { kind: "organisation", ref: "My Org" });
  assert.equal(r.periods.length, 11);
  assert.equal(r.allowMismatch, false, "--strict is the default, still accepted");
  assert.equal(r.concurrency, 3);
  assert.equal(parseChargesArgs(["all", "--allow-mismatch"]).allowMismatch, true);
  assert.throws(
    () => parseChargesArgs(["all", "--strict", "--allow-mismatch"]),
    (e: unknown) =>
      e instanceof UsageError && /--strict or --allow-mismatch, not both/.test(e.message),
  );
  assert.throws(
    () => parseChargesArgs(["all", "--allow-mismatch", "--store", "kv"]),
    (e: unknown) => e instanceof UsageError && /store keeps only reconciled/.test(e.message),
  );

  const one = parseChargesArgs(["unit", "U", "--pbp", "-2", "--out", "u.csv"]);
  assert.deepEqual(one.formats, ["csv"]);
  assert.equal(one.outFile, "u.csv");

  assert.throws(
    () => parseChargesArgs(["all", "--out", "x.txt", "--format", "csv"]),
    /end in \.csv/,
  );
  assert.throws(
    () => parseChargesArgs(["all", "--out", "x.csv", "--out-dir", "d"]),
    (e: unknown) => e instanceof UsageError && /not both/.test(e.message),
  );
  assert.throws(() => parseChargesArgs(["org", "a", "b"]), /Unexpected argument "b"/);
  assert.equal(parseChargesArgs(["--help"]).help, true);
});

// End to end against a sandbox this test starts, with a fault that spoils the answers:
// a mismatch is an error by default (exit 1, nothing written, the message names it and the
// flag); --allow-mismatch writes the files stating it; a malformed answer ends with exit 1
// and the client's ProtocolError message, never a default, a TypeError or a stack.

async function withFaultySandbox(
  rules: FaultRule[],
  test: (ctx: { env: Record<string, string>; acme: AnyProduct[]; dir: string }) => Promise<void>,
): Promise<void> {
  const sandbox = await startSandbox({ port: 0, seed: 5, quiet: true });
  const dir = await Deno.makeTempDir();
  try {
    const conn = sandboxConnection(sandbox);
    const token = await conn.tokens.getToken();
    const products = unwrap(await conn.api.getAvailableProducts(token)).products;
    sandbox.setFaults({ rules });
    const env = sandboxEnv(sandbox);
    const acme = products.filter((p) => p.organisation.name === "Acme Chemistry, Ltd.");
    assert.ok(acme.length > 1);
    await test({ env, acme, dir });
  } finally {
    await sandbox.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A previous good export in `dir`, which no failed run may touch. */
async function previousExport(dir: string): Promise<Record<string, string>> {
  await Deno.mkdir(dir, { recursive: true });
  const files = { "charges_old.xlsx": "previous good xlsx", "charges_old.csv": "previous,csv" };
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  return files;
}

async function assertUntouched(dir: string, files: Record<string, string>): Promise<void> {
  assert.deepEqual((await entries(dir)).sort(), Object.keys(files).sort());
  for (const [name, text] of Object.entries(files)) {
    assert.equal(await Deno.readTextFile(join(dir, name)), text);
  }
}

const COIN_FAULT: FaultRule = {
  kind: "wrong-type",
  path: "/charges/product/*",
  field: "coins",
  value: "999.99",
};

Deno.test("a server total that disagrees (sandbox wrong-type coins): exit 1, nothing written, the mismatch and the flag named", async () => {
  await withFaultySandbox([COIN_FAULT], async ({ env, acme, dir }) => {
    const product = acme[0].product;
    const out = join(dir, "out");
    const before = await previousExport(out);
    const [one, org] = await Promise.all([
      run(["product", product.id, "--out-dir", out], env),
      run(["org", "Acme Chemistry, Ltd.", "--out-dir", out], env),
    ]);
    assert.equal(one.code, 1, one.stderr);
    assert.match(
      one.stderr,
      new RegExp(
        `^charges: Not reconciled with the Account Server's totals, so nothing was written: ` +
          `product "${product.name}" \\(${product.id}\\), .*: 1 of 1 checks disagree with the ` +
          `server's totals: product ${product.id} \\(${product.name}\\) total: computed ` +
          `\\d+\\.\\d+, server 999\\.99\\. .*add --allow-mismatch`,
      ),
    );
    assert.equal(one.stdout, "");
    assert.equal(org.code, 1, org.stderr);
    // Every product of the organisation disagrees; the message shows five and counts the rest.
    assert.match(
      org.stderr,
      new RegExp(
        `${acme.length} of \\d+ checks disagree.*server 999\\.99.*and ${acme.length - 5} more`,
      ),
    );
    for (const r of [one, org]) assert.doesNotMatch(r.stderr, /\n\s+at |TypeError|internal error/);
    await assertUntouched(out, before);
  });
});

Deno.test("--allow-mismatch writes the files, each stating the mismatch inside and in its name", async () => {
  await withFaultySandbox([COIN_FAULT], async ({ env, acme, dir }) => {
    const product = acme[0].product;
    const out = join(dir, "out");
    const r = await run(
      ["product", product.id, "--allow-mismatch", "--out-dir", out, "--json"],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning: NOT RECONCILED, written as asked \(--allow-mismatch\): product .* server 999\.99/,
    );
    const report = JSON.parse(r.stdout).reports[0];
    assert.equal(report.reconciliation.ok, false);
    assert.deepEqual(
      report.reconciliation.mismatches.map((m: { server: string }) => m.server),
      ["999.99"],
    );
    const names = (await entries(out)).sort();
    assert.equal(names.length, 2);
    // Reached through the environment, the sandbox still marks its data (last in the name).
    for (const n of names) assert.match(n, /_unreconciled_sandbox\.(csv|xlsx)$/);

    // CSV: the usual columns plus reconciliation_warning on every row; the coins themselves
    // are the items' own and add up (by an independent sum) to the computed total.
    const csvPath = report.files.find((f: { format: string }) => f.format === "csv").path;
    const records: string[][] = parse(await Deno.readTextFile(csvPath));
    assert.equal(records[0].at(-1), "reconciliation_warning");
    assert.equal(records.length - 1, report.rowCount);
    let sum = new Big(0);
    for (const rec of records.slice(1)) {
      assert.match(rec.at(-1)!, /^UNRECONCILED: 1 of 1 checks disagree .*server 999\.99$/);
      assert.equal(rec.at(-2), "SANDBOX");
      sum = sum.plus(rec.at(-3)!);
    }
    assert.ok(sum.eq(report.totals.grand.coins), `${sum} vs ${report.totals.grand.coins}`);
    assert.ok(!sum.eq("999.99"));

    // XLSX: the Summary says it in red under the title and on the mismatch's own row.
    const xlsxPath = report.files.find((f: { format: string }) => f.format === "xlsx").path;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const summary = wb.getWorksheet("Summary")!;
    const red = (c: ExcelJS.Cell) => c.font?.color?.argb === "FFC00000";
    assert.match(summary.getRow(2).getCell(1).text, /^UNRECONCILED/);
    assert.ok(red(summary.getRow(2).getCell(1)));
    let found = false;
    summary.eachRow((row) => {
      if (row.getCell(1).text === `product ${product.id} (${product.name}) total`) {
        found = true;
        assert.equal(row.getCell(3).text, "999.99");
        assert.ok(red(row.getCell(1)) && red(row.getCell(3)));
      }
    });
    assert.ok(found, "the mismatch's row on the Summary");
  });
});

Deno.test("a malformed answer ends with exit 1, the client's message, and no file", async () => {
  // Each spoils one kind of answer; the scope is chosen so that the spoiled answer is read.
  const cases: [FaultRule, (acme: AnyProduct[]) => string[], RegExp][] = [
    [
      { kind: "wrong-type", path: "/charges/product/*", field: "storage_charges" },
      (acme) => ["product", acme[0].product.id],
      /GET \/charges\/product\/product-.* not ProductCharges.*: storage_charges: expected object, got number/,
    ],
    [
      // The organisation's totals are read with "may be refused": a 200 without a body is not
      // a refusal, and must not turn into "not checked".
      { kind: "empty-body", path: "/charges/organisation/*" },
      () => ["org", "Acme Chemistry, Ltd."],
      /GET \/charges\/organisation\/org-.* not OrganisationCharges/,
    ],
    [
      { kind: "html", path: "/charges/unit/*" },
      (acme) => ["unit", acme[0].unit.id],
      /GET \/charges\/unit\/unit-/,
    ],
    [
      { kind: "wrong-type", path: "/product/organisation/*", field: "products" },
      () => ["org", "Acme Chemistry, Ltd."],
      /GET \/product\/organisation\/org-.*: products: expected array, got number/,
    ],
    [
      {
        kind: "wrong-type",
        path: "/charges/product/*",
        field: "processing_charges.0.charge.coins",
        value: 12.5,
      },
      () => ["all"],
      /processing_charges[.[]0]?\.charge\.coins/,
    ],
  ];
  for (const [rule, args, pattern] of cases) {
    await withFaultySandbox([rule], async ({ env, acme, dir }) => {
      const out = join(dir, "out");
      const before = await previousExport(out);
      const what = `${rule.kind} ${rule.path} ${rule.field ?? ""}`;
      const [plain, debug] = await Promise.all([
        run([...args(acme), "--out-dir", out], env),
        run([...args(acme), "--out-dir", out, "--debug"], env),
      ]);
      assert.equal(plain.code, 1, `${what}: ${plain.stderr}`);
      assert.match(plain.stderr, /^charges: /, what);
      assert.match(plain.stderr, pattern, what);
      assert.doesNotMatch(plain.stderr, /\n\s+at |TypeError|internal error|undefined/, what);
      assert.equal(plain.stdout, "", what);
      assert.equal(debug.code, 1, `${what}: ${debug.stderr}`);
      assert.match(debug.stderr, /ProtocolError.*\n\s+at /, `${what}: a stack with --debug`);
      await assertUntouched(out, before);
    });
  }
});
