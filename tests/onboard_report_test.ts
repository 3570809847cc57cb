import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { StoreError } from "../client/errors.ts";
import type { OnboardResults, RowResult } from "../reports/onboard/apply.ts";
import type { OnboardPlan } from "../reports/onboard/plan.ts";
import {
  defaultResultsPath,
  formatPlan,
  planExitCode,
  planSummary,
  RESULT_COLUMNS,
  resultsExitCode,
  resultsSummary,
  resultsToCsv,
  writeResultsCsv,
} from "../reports/onboard/report.ts";

const ORG = "org-aaaaaaaa-0000-4000-8000-000000000001";

function result(line: number, outcome: RowResult["outcome"], message = ""): RowResult {
  return {
    line,
    username: `user${line}`,
    organisation: "Acme",
    unit: "",
    target: `organisation "Acme" (${ORG})`,
    action: "add",
    outcome,
    message,
    steps: [],
  };
}

const sample: OnboardResults = {
  file: "in.csv",
  action: "add",
  results: [
    result(2, "added"),
    result(3, "failed", '=HYPERLINK("http://x") HTTP 500'),
    { ...result(4, "skipped", "bad"), organisation: "+cmd", username: "@sum" },
  ],
  counts: { added: 1, unchanged: 0, removed: 0, failed: 1, skipped: 1 },
};

Deno.test("resultsToCsv writes one line per row with formulas escaped", () => {
  const text = resultsToCsv(sample);
  assert.ok(text.startsWith(`${RESULT_COLUMNS.join(",")}\r\n`));
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((r) => [r.line, r.outcome]), [["2", "added"], ["3", "failed"], [
    "4",
    "skipped",
  ]]);
  assert.equal(rows[1].message, '\'=HYPERLINK("http://x") HTTP 500');
  assert.equal(rows[2].organisation, "'+cmd");
  assert.equal(rows[2].username, "'@sum");
  assert.equal(rows[0].target, `organisation "Acme" (${ORG})`);
});

Deno.test("writeResultsCsv never replaces a file unless told to, and fails cleanly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/in.csv.results.csv`;
    await Deno.writeTextFile(path, "old");
    await assert.rejects(() => writeResultsCsv(path, sample), (error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, /^The results file ".*in\.csv\.results\.csv" exists already/);
      return true;
    });
    assert.equal(await Deno.readTextFile(path), "old", "refused: the old file is kept");
    assert.equal(
      await writeResultsCsv(path, sample, { ifExists: "number" }),
      `${dir}/in.csv.results-2.csv`,
    );
    assert.equal(
      await writeResultsCsv(path, sample, { ifExists: "number" }),
      `${dir}/in.csv.results-3.csv`,
    );
    assert.equal(await Deno.readTextFile(path), "old");
    assert.equal(await Deno.readTextFile(`${dir}/in.csv.results-3.csv`), resultsToCsv(sample));
    assert.equal(await writeResultsCsv(path, sample, { ifExists: "replace" }), path);
    assert.equal(await Deno.readTextFile(path), resultsToCsv(sample));
    const fresh = `${dir}/fresh.csv`;
    assert.equal(await writeResultsCsv(fresh, sample), fresh, "a new name is simply written");
    const missing = `${dir}/no-such-dir/out.csv`;
    await assert.rejects(() => writeResultsCsv(missing, sample), (error) => {
      assert.ok(error instanceof StoreError);
      assert.match(
        error.message,
        /^Cannot write the results file ".*out\.csv" .*; choose a writable place with --report$/,
      );
      return true;
    });
    const names = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    assert.deepEqual(names.sort(), [
      "fresh.csv",
      "in.csv.results-2.csv",
      "in.csv.results-3.csv",
      "in.csv.results.csv",
    ], "no temporary file is left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultResultsPath sits next to the input, named by the UTC time of the run", () => {
  assert.equal(
    defaultResultsPath("/tmp/x/users.csv", new Date("2026-12-02T05:37:12.345Z")),
    "/tmp/x/users.csv.results-2026-12-02T053712Z.csv",
  );
});

Deno.test("resultsSummary lists failed and skipped rows; ok agrees with the exit status", () => {
  const summary = resultsSummary(sample, { report: "r.csv" });
  assert.equal(summary.ok, false);
  assert.equal(resultsExitCode(sample), 2, "skipped rows win over failed ones");
  const onlySkipped: OnboardResults = {
    ...sample,
    results: [sample.results[0], sample.results[2]],
    counts: { added: 1, unchanged: 0, removed: 0, failed: 0, skipped: 1 },
  };
  assert.equal(resultsExitCode(onlySkipped), 2);
  assert.equal(resultsSummary(onlySkipped).ok, false, "--skip-invalid: exit 2 and ok false");
  const onlyFailed: OnboardResults = {
    ...sample,
    results: [sample.results[0], sample.results[1]],
    counts: { added: 1, unchanged: 0, removed: 0, failed: 1, skipped: 0 },
  };
  assert.equal(resultsExitCode(onlyFailed), 1);
  assert.equal(resultsSummary(onlyFailed).ok, false);
  const clean: OnboardResults = {
    ...sample,
    results: [sample.results[0]],
    counts: { added: 1, unchanged: 0, removed: 0, failed: 0, skipped: 0 },
  };
  assert.equal(resultsExitCode(clean), 0);
  assert.equal(resultsSummary(clean).ok, true);
  assert.equal(summary.report, "r.csv");
  assert.deepEqual((summary.failed as { line: number }[]).map((f) => f.line), [3]);
  assert.deepEqual((summary.skipped as { line: number }[]).map((f) => f.line), [4]);
});

Deno.test("planSummary and formatPlan show what a run would do", () => {
  const target = { kind: "organisation" as const, id: ORG, name: "Acme" };
  const plan: OnboardPlan = {
    file: "in.csv",
    action: "add",
    rows: [
      {
        row: { line: 2, username: "ada", organisation: "Acme", unit: "" },
        steps: [{ target, state: "change" }],
      },
      {
        row: { line: 3, username: "bob", organisation: "Acme", unit: "" },
        steps: [{ target, state: "unchanged", note: "already a member" }],
      },
    ],
    invalid: [{ line: 4, message: 'File "in.csv" line 4: no organisation named "X"' }],
  };
  const summary = planSummary(plan);
  assert.deepEqual(summary.counts, { "to add": 1, "to remove": 0, unchanged: 1, invalid: 1 });
  assert.equal(summary.ok, false);
  assert.equal(planExitCode(plan), 2);
  assert.equal(planSummary({ ...plan, invalid: [] }).ok, true);
  assert.equal(planExitCode({ ...plan, invalid: [] }), 0);
  const text = formatPlan(plan);
  assert.match(
    text,
    /^Plan for "in\.csv" \(dry run, nothing changed\): 1 to add, 1 unchanged, 1 invalid/,
  );
  assert.match(text, /line 2: to add +ada -> organisation "Acme"/);
  assert.match(text, /line 3: unchanged +bob/);
  assert.match(text, /line 4: invalid +File "in\.csv" line 4/);
});
