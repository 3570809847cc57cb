// `deno task charges ... --store SPEC` as a subprocess against the sandbox: the reports land
// in the store (listed, with their totals), not as plain files.
import assert from "node:assert/strict";
import { sameAmount } from "./fixtures/coin_oracle.ts";
import { openReportStore } from "../reports/store/open.ts";
import { runScript } from "./fixtures/script_run.ts";

const CHARGES = new URL("../scripts/charges.ts", import.meta.url).pathname;

Deno.test("charges --store writes the reports into a directory store the archive lists", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await runScript(CHARGES, [
      "all",
      "--sandbox",
      "--pbp",
      "-2..-1",
      "--store",
      dir,
      "--json",
    ]);
    assert.equal(out.code, 0, out.stderr);
    const json = JSON.parse(out.stdout);
    const store = await openReportStore(dir);
    try {
      const listed = await store.list();
      assert.equal(listed.length, 4, "2 periods x 2 formats");
      for (const report of json.reports) {
        for (const file of report.files) {
          const name = file.path.slice(dir.length + 1);
          const meta = listed.find((m) => m.name === name);
          assert.ok(meta, name);
          assert.equal(meta.size, file.bytes);
          assert.ok(sameAmount(meta.totalCoins, report.totals.grand.coins));
          assert.equal(meta.sandbox, true);
          assert.equal(meta.period.pbp, report.period.pbp);
        }
      }
      const files = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.equal(files.filter((f) => f.endsWith(".meta.json")).length, 4);
      assert.ok(!files.some((f) => f.startsWith(".tmp-")));
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("charges --store refuses --out-dir alongside and an empty spec", async () => {
  const both = await runScript(CHARGES, ["all", "--sandbox", "--store", "x", "--out-dir", "y"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--store/);
  const empty = await runScript(CHARGES, ["all", "--sandbox", "--store", ""]);
  assert.equal(empty.code, 2);
});
