// `deno task demo` as a subprocess in a fresh directory: exit 0, a totals table with every
// organisation reconciled and priced, and three files per organisation in ./reports-out
// (XLSX with its Change sheet, CSV, FOCUS 1.2 CSV) whose coins and money add up to the
// table's totals (big.js).
import assert from "node:assert/strict";
import Big from "big.js";
import { parse } from "csv-parse/sync";
import { join } from "node:path";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { runScript } from "./fixtures/script_run.ts";
import { readChangeSheet } from "./fixtures/change_sheet.ts";

const SCRIPT = new URL("../scripts/demo.ts", import.meta.url).pathname;

type Row = Record<string, string>;
const read = (path: string): Row[] =>
  parse(Deno.readTextFileSync(path), { columns: true, bom: true }) as Row[];

Deno.test("demo exports every organisation's last closed period, priced, with FOCUS files, and prints reconciled totals", async () => {
  const cwd = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await runScript(SCRIPT, [], {}, { cwd });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^SANDBOX DATA/);
    assert.match(stdout, /organisation\s+units\s+items\s+coins\s+money\s+reconciled/);

    const lines = stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith("organisation")) + 2;
    const table = lines.slice(start, lines.indexOf("", start));
    assert.ok(table.length >= 4, stdout);
    const dir = join(cwd, "reports-out");
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.equal(files.length, table.length * 3);
    assert.equal(files.filter((f) => f.endsWith(".xlsx")).length, table.length);
    const focusFiles = files.filter((f) => f.endsWith("_focus.csv"));
    assert.equal(focusFiles.length, table.length);
    const currencies = new Set<string>();

    for (const line of table) {
      const m = /^(.*?)\s+(\d+)\s+(\d+)\s+(-?[\d.]+)\s+(-?[\d.]+) ([A-Z]{3})\s+(\S.*)$/.exec(line);
      assert.ok(m, line);
      const [, , , items, coins, money, currency, reconciled] = m;
      currencies.add(currency);
      // The Default organisation's own totals are 403 by the reference: it is reconciled
      // at product level only, and says so.
      assert.match(reconciled, /^OK( \(partly, see below\))?$/, line);
      // Find this organisation's CSV by its row count and total: each must match one file.
      const match = files.filter((f) => f.endsWith("_sandbox.csv")).find((f) => {
        const rows = read(join(dir, f));
        return rows.length === Number(items) && oracleSum(rows.map((r) => r.coins)).eq(coins);
      });
      assert.ok(match, `a CSV with ${items} items totalling ${coins}`);
      const rows = read(join(dir, match));
      // Money: each row is coins × price rounded half-to-even to the currency's minor unit;
      // the table shows the sum of the rounded rows.
      const places = currency === "JPY" ? 0 : 2;
      for (const r of rows) {
        assert.equal(r.currency, currency);
        assert.equal(
          r.amount,
          new Big(r.coins).times(r.price_per_coin).round(places, 2).toFixed(places),
        );
      }
      assert.equal(oracleSum(rows.map((r) => r.amount)).toFixed(places), money, line);
      // Its FOCUS file bills the same money, in the same currency, row for row.
      const focus = read(join(dir, match.replace(/\.csv$/, "_focus.csv")));
      assert.equal(focus.length, rows.length);
      assert.ok(focus.every((f) => f.BillingCurrency === currency));
      assert.ok(oracleSum(focus.map((f) => f.BilledCost)).eq(money));
      // Its XLSX compares the period with pbp -2 in the Change sheet; this period's unit
      // totals add up to the CSV's coins.
      const change = await readChangeSheet(
        Deno.readFileSync(join(dir, match.replace(/\.csv$/, ".xlsx"))),
      );
      assert.match(change.status, /^Compared: /);
      assert.match(change.previousPeriod, /prior billing period -2/);
      assert.ok(oracleSum([...change.units.values()].map((u) => u.current)).eq(coins), line);
    }
    assert.ok(currencies.has("JPY") && currencies.size >= 3, [...currencies].join(","));
    assert.match(stdout, /Money: coins × price per coin from demo_rates\.csv/);
    assert.match(stdout, /Change since the previous period \(pbp -2\)/);
    assert.match(stdout, /files in \.\/reports-out, \d+ requests/);
    assert.match(stdout, /_focus\.csv {2}\(FOCUS 1\.2, for FinOps tools\)/);
    assert.match(stdout, /^Default\s.*OK \(partly, see below\)$/m);
    assert.match(stdout, /Default: not checked: organisation org-.*\(HTTP 403\)/);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
