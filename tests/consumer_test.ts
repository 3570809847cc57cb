// A consumer project outside the package: a temporary Deno workspace whose members are a copy
// of this package (`billing/`) and an app (`app/`, tests/fixtures/consumer_app.ts) that
// imports "@squonk2/billing/client" and "@squonk2/billing/reports", type-checks, and exports
// one product's charges from a sandbox this test starts to a CSV. Offline: `--cached-only`,
// npm packages from the Deno cache. docs/library.md shows this set-up; the test checks that
// the page still shows it exactly.
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Coins } from "../client/coins.ts";
import { CHARGE_COLUMNS } from "../reports/charges/model.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { cleanEnv, sandboxEnv } from "./fixtures/script_run.ts";

const PACKAGE = new URL("..", import.meta.url).pathname;
const APP = new URL("./fixtures/consumer_app.ts", import.meta.url).pathname;
const LIBRARY_DOC = new URL("../docs/library.md", import.meta.url).pathname;

/** The workspace root's deno.json, as docs/library.md shows it. */
const ROOT_CONFIG = `{
  "workspace": ["./billing", "./app"],
  "nodeModulesDir": "none"
}
`;
/** What the copy of the package needs: its config and the modules its exports reach. */
const PACKAGE_FILES = ["deno.json", "mod.ts", "client", "reports", "sandbox"];

/** Runs `deno <args>` in `cwd` with a clean environment plus `env`. */
async function deno(cwd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: cleanEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("docs/library.md shows the consumer workspace of this test", async () => {
  const doc = await Deno.readTextFile(LIBRARY_DOC);
  assert.ok(doc.includes("```json\n" + ROOT_CONFIG + "```"), "the root deno.json");
  assert.ok(doc.includes("```ts\n" + (await Deno.readTextFile(APP)) + "```"), "app/main.ts");
});

Deno.test("a consumer workspace imports ./client and ./reports and exports a CSV from the sandbox", async () => {
  const sandbox = await startSandbox({ seed: 3, now: "2026-03-15T12:00:00Z", quiet: true });
  const root = await Deno.makeTempDir({ prefix: "billing_consumer_" });
  try {
    for (const name of PACKAGE_FILES) {
      await cp(join(PACKAGE, name), join(root, "billing", name), { recursive: true });
    }
    await Deno.writeTextFile(join(root, "deno.json"), ROOT_CONFIG);
    // The package's lock pins the npm versions this checkout has in its cache.
    await Deno.copyFile(join(PACKAGE, "deno.lock"), join(root, "deno.lock"));
    await Deno.mkdir(join(root, "app"));
    await Deno.writeTextFile(join(root, "app", "deno.json"), "{}\n");
    await Deno.copyFile(APP, join(root, "app", "main.ts"));

    // A product with charges in its last closed period, and the sandbox's ground truth.
    const { state } = sandbox;
    const truth = [...state.products.values()].map((product) => ({
      product,
      charges: state.productCharges(product.id, state.unitPeriod(product.unitId, -1)),
    })).find(({ charges }) => charges.processingCount > 0 && charges.storageCount > 0);
    assert.ok(truth, "the sandbox has a product with charges");
    const { product, charges } = truth;

    const env = sandboxEnv(sandbox);
    // The type check (the longest step) runs while the app runs.
    const [check, run] = await Promise.all([
      deno(root, ["check", "--cached-only", "app/main.ts"]),
      deno(root, ["run", "--cached-only", "-A", "app/main.ts", product.id, "out"], env),
    ]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(run.code, 0, run.stderr);
    const written = run.stdout.trim().split("\n");
    assert.equal(written.length, 1, run.stdout);
    assert.match(written[0], /\.csv$/);

    const rows: string[][] = parse(await Deno.readTextFile(join(root, written[0])), { bom: true });
    const [header, ...body] = rows;
    // The sandbox, used through the environment only, still marks its data.
    assert.deepEqual(header, [...CHARGE_COLUMNS.map((c) => c.header), "data_source"]);
    assert.match(written[0], /_sandbox\.csv$/);
    assert.equal(body.length, charges.processingCount + charges.storageCount);
    const at = (name: string) => header.indexOf(name);
    assert.ok(body.every((row) => row[at("data_source")] === "SANDBOX"));
    assert.ok(body.every((row) => row[at("product_id")] === product.id));
    const coins = Coins.sum(body.map((row) => row[at("coins")]));
    assert.ok(
      coins.equals(new Coins(charges.processingTenK + charges.storageTenK, 4)),
      `coins ${coins}`,
    );
  } finally {
    await sandbox.close();
    await Deno.remove(root, { recursive: true });
  }
});
