// Onboarding under malformed Account Server answers (issue 12): the onboard CLI, as a
// subprocess, against a sandbox that spoils one kind of answer. Every run ends either
// exactly like a clean run or loud (exit 1, the client's message), and a spoiled listing
// applies nothing at all.
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import type { FaultRule } from "../sandbox/faults_config.ts";
import { type RunningSandbox, startSandbox } from "../sandbox/mod.ts";
import { runScript, sandboxUserEnv } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/onboard.ts", import.meta.url).pathname;
const INPUT = 'username,organisation,unit\nnew.user1,"Acme Chemistry, Ltd.",\n' +
  "new.user2,,Crystallography\n";

/** Who of the two new users is a member where the input puts them. */
function memberships(sb: RunningSandbox): string[] {
  const acme = [...sb.state.orgs.values()].find((o) => o.name === "Acme Chemistry, Ltd.")!;
  const crystal = [...sb.state.units.values()].find((u) => u.name === "Crystallography")!;
  return [
    ...["new.user1", "new.user2"].filter((u) => acme.members.has(u)).map((u) => `acme:${u}`),
    ...["new.user1", "new.user2"].filter((u) => crystal.members.has(u)).map((u) => `unit:${u}`),
  ];
}

async function withSandbox(
  faults: FaultRule[],
  fn: (sb: RunningSandbox, input: string, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const sb = await startSandbox({
    port: 0,
    seed: 1,
    now: "2026-03-15T12:00:00Z",
    quiet: true,
    faults: { rules: faults },
  });
  try {
    const input = `${dir}/users.csv`;
    await Deno.writeTextFile(input, INPUT);
    await fn(sb, input, dir);
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
}

// A spoiled listing is read while planning: nothing may be applied, and no results file
// may claim anything.
const LISTING_FAULTS: [FaultRule, RegExp][] = [
  [
    { kind: "empty-body", methods: ["GET"], path: "/organisation" },
    /getOrganisations: AS answered GET \/organisation with a body that is not OrganisationsGetResponse: expected a JSON object, got an empty body/,
  ],
  [
    { kind: "wrong-type", methods: ["GET"], path: "/unit", field: "units" },
    /GET \/unit with a body that is not UnitsGetResponse: units: expected array, got number/,
  ],
  [
    // Not a reason to fall back to matching the name "Default" (only a 404 is).
    { kind: "wrong-type", methods: ["GET"], path: "/default/organisation", field: "id" },
    /GET \/default\/organisation with a body that is not OrganisationGetDefaultResponse: id: expected string, got number/,
  ],
  [
    { kind: "html", methods: ["GET"], path: "/organisation" },
    /GET \/organisation with a body that is not OrganisationsGetResponse: expected a JSON object, got an HTML page/,
  ],
];

for (const [rule, message] of LISTING_FAULTS) {
  Deno.test(`onboard: a spoiled listing (${rule.kind} on ${rule.path}) applies nothing and exits 1`, async () => {
    await withSandbox([rule], async (sb, input, dir) => {
      const run = await runScript(SCRIPT, [input], sandboxUserEnv(sb));
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /TypeError|internal error|\n\s+at /);
      assert.deepEqual(memberships(sb), []);
      assert.deepEqual(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        ["users.csv"],
        "no results file",
      );
    });
  });
}

Deno.test("onboard: a sign-in page answered 200 to an add is a failed row, never 'added'; a re-run completes it", async () => {
  await withSandbox(
    [{ kind: "html", methods: ["PUT"], path: "/unit/*/user/*" }],
    async (sb, input) => {
      const env = sandboxUserEnv(sb);
      const spoiled = await runScript(SCRIPT, [input, "--json"], env);
      assert.equal(spoiled.code, 1, spoiled.stderr);
      const summary = JSON.parse(spoiled.stdout);
      assert.equal(summary.ok, false);
      assert.deepEqual(summary.counts, {
        added: 1,
        unchanged: 0,
        removed: 0,
        failed: 1,
        skipped: 0,
      });
      const rows = parse(await Deno.readTextFile(summary.report), {
        columns: true,
      }) as Record<string, string>[];
      assert.deepEqual(rows.map((r) => [r.username, r.outcome]), [
        ["new.user1", "added"],
        ["new.user2", "failed"],
      ]);
      assert.match(rows[1].message, /addUserToUnit: .* with a body where none is expected/);
      // The html fault answers before the sandbox's handler runs: the unit is unchanged.
      assert.deepEqual(memberships(sb), ["acme:new.user1"]);

      sb.setFaults({});
      const clean = await runScript(SCRIPT, [input, "--report", `${input}.2.csv`], env);
      assert.equal(clean.code, 0, clean.stderr);
      assert.deepEqual(memberships(sb), ["acme:new.user1", "unit:new.user2"]);
    },
  );
});
