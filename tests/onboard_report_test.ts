import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { StoreError } from "../client/errors.ts";
import type { OnboardResults, RowResult } from "../reports/onboard/apply.ts";
import type { OnboardPlan } from "../reports/onboard/plan.ts";
import {
  defaultResultsPath,
  formatPlan,
  planSummary,
  RESULT_COLUMNS,
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

Deno.test("writeResultsCsv replaces the file atomically and fails cleanly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/in.csv.results.csv`;
    await Deno.writeTextFile(path, "old");
    await writeResultsCsv(path, sample);
    assert.equal(await Deno.readTextFile(path), resultsToCsv(sample));
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
    assert.deepEqual(names, ["in.csv.results.csv"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultResultsPath sits next to the input", () => {
  assert.equal(defaultResultsPath("/tmp/x/users.csv"), "/tmp/x/users.csv.results.csv");
});

Deno.test("resultsSummary lists failed and skipped rows", () => {
  const summary = resultsSummary(sample, { report: "r.csv" });
  assert.equal(summary.ok, false);
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
  const text = formatPlan(plan);
  assert.match(
    text,
    /^Plan for "in\.csv" \(dry run, nothing changed\): 1 to add, 1 unchanged, 1 invalid/,
  );
  assert.match(text, /line 2: to add +ada -> organisation "Acme"/);
  assert.match(text, /line 3: unchanged +bob/);
  assert.match(text, /line 4: invalid +File "in\.csv" line 4/);
});
