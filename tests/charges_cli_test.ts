// `deno task charges` as a subprocess: exit codes, messages that name the fix, nothing
// written on bad arguments or failures, retries through transient faults, --json output.
import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../client/errors.ts";
import { parseChargesArgs } from "../scripts/charges.ts";
import { Coins } from "../client/coins.ts";
import { entries, runScript, type ScriptRun } from "./script_run.ts";

const SCRIPT = new URL("../scripts/charges.ts", import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript(SCRIPT, args, env);
}

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
    [["all", "--frobnicate"], /Unknown option "--frobnicate": see --help/],
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
  for (const flag of ["--strict", "--concurrency", "--sandbox", "--json", "--debug"]) {
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
    const coins = csv.trim().split("\r\n").slice(1).map((l) => l.split(",").pop()!);
    assert.equal(coins.length, report.rowCount);
    assert.ok(Coins.sum(coins).equals(report.totals.grand.coins));
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
  assert.equal(d.strict || d.bom || d.json || d.sandbox, false);

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
  assert.equal(r.strict, true);
  assert.equal(r.concurrency, 3);

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
