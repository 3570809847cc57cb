// Examples in the docs that a reader runs against the sandbox must work as written: the
// onboarding file of docs/onboarding.md plans without an invalid row, with every step "to
// add" (its users are new to the sandbox).
import assert from "node:assert/strict";
import { parseOnboardCsv } from "../reports/onboard/csv.ts";
import { buildOnboardPlan } from "../reports/onboard/plan.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { sandboxConnection } from "../scripts/connect.ts";

/** The first fenced block of `language` in `markdown`. */
export function firstBlock(markdown: string, language: string): string | undefined {
  const m = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```", "m").exec(markdown);
  return m?.[1];
}

Deno.test("firstBlock finds a fenced block by its language", () => {
  assert.equal(firstBlock("x\n```sh\nls\n```\n```csv\na,b\n1,2\n```\n", "csv"), "a,b\n1,2\n");
  assert.equal(firstBlock("no blocks", "csv"), undefined);
});

Deno.test("docs/onboarding.md: the example file plans against the sandbox as written", async () => {
  const page = await Deno.readTextFile(new URL("../docs/onboarding.md", import.meta.url));
  const csv = firstBlock(page, "csv");
  assert.ok(csv, "docs/onboarding.md has a csv example");
  const sandbox = await startSandbox({ port: 0, seed: 1, quiet: true });
  try {
    const plan = await buildOnboardPlan(
      sandboxConnection(sandbox),
      parseOnboardCsv(csv, { file: "users.csv" }),
    );
    assert.deepEqual(plan.invalid, [], "no invalid row");
    assert.equal(plan.rows.length, 3);
  } finally {
    await sandbox.close();
  }
});
