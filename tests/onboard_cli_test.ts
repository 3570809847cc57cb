// The onboard CLI as a subprocess: exit codes, the results file, and stdout/stderr. Most
// runs point it at a sandbox started here through the SQUONK2_* environment (the
// realistic path), so re-runs see the state of earlier runs.
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { UsageError } from "../client/errors.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { main } from "../scripts/onboard.ts";
import { runScript, sandboxUserEnv, type ScriptRun } from "./fixtures/script_run.ts";

const SCRIPT = new URL("../scripts/onboard.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;
const HEADER = "username,organisation,unit";

function cli(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript(SCRIPT, args, env, { cwd: ROOT });
}

async function readResults(path: string): Promise<Record<string, string>[]> {
  return parse(await Deno.readTextFile(path), { columns: true }) as Record<string, string>[];
}

/** The default results files of `input` (`<input>.results-<UTC time>[-n].csv`), sorted. */
async function resultsFiles(input: string): Promise<string[]> {
  const dir = input.slice(0, input.lastIndexOf("/"));
  const base = input.slice(input.lastIndexOf("/") + 1).replace(/\./g, "\\.");
  const re = new RegExp(`^${base}\\.results-\\d{4}-\\d\\d-\\d\\dT\\d{6}Z(-\\d+)?\\.csv$`);
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
  // Time order: by name, an unnumbered name before its -2, -3... (same second).
  const key = (n: string) =>
    n.replace(/Z\.csv$/, "Z-1.csv").replace(
      /-(\d+)\.csv$/,
      (_m, d) => `-${d.padStart(6, "0")}.csv`,
    );
  return names.filter((n) => re.test(n)).sort((a, b) => key(a) < key(b) ? -1 : 1).map((n) =>
    `${dir}/${n}`
  );
}

Deno.test("onboard CLI against a running sandbox: apply, re-run, fault, completion, removal", async () => {
  const dir = await Deno.makeTempDir();
  const sb = await startSandbox({ port: 0, seed: 1, now: "2026-03-15T12:00:00Z", quiet: true });
  try {
    const env = sandboxUserEnv(sb);
    const crystal = [...sb.state.units.values()].find((u) => u.name === "Crystallography")!;
    const input = `${dir}/users.csv`;
    await Deno.writeTextFile(
      input,
      `${HEADER}\nnew.user1,"Acme Chemistry, Ltd.",\nnew.user2,,Crystallography\nnew.user3,"=SUM(A1) Labs",\n`,
    );
    sb.setFaults({
      rules: [{
        methods: ["PUT"],
        path: `/unit/${crystal.id}/user/*`,
        kind: "status",
        status: 500,
      }],
    });
    const failed = await cli([input, "--json"], env);
    assert.equal(failed.code, 1, failed.stderr);
    const summary = JSON.parse(failed.stdout);
    assert.deepEqual(summary.counts, { added: 2, unchanged: 0, removed: 0, failed: 1, skipped: 0 });
    assert.deepEqual(summary.failed.map((f: { line: number }) => f.line), [3]);
    const [firstReport] = await resultsFiles(input);
    assert.equal(summary.report, firstReport, "--json names the results file");
    assert.equal(summary.ok, false, "a failed row: exit 1 and ok false");
    const firstText = await Deno.readTextFile(firstReport);
    const rows = await readResults(firstReport);
    assert.deepEqual(rows.map((r) => [r.line, r.username, r.outcome]), [
      ["2", "new.user1", "added"],
      ["3", "new.user2", "failed"],
      ["4", "new.user3", "added"],
    ]);
    assert.match(rows[1].message, /^HTTP 500: Sandbox fault: injected 500$/);
    assert.match(rows[2].organisation, /^'=SUM\(A1\) Labs$/, "formula cells are escaped");
    assert.ok(!failed.stderr.includes(env.SQUONK2_KEYCLOAK_USER_PASSWORD));

    sb.setFaults({});
    const report = `${dir}/second.csv`;
    const healed = await cli([input, "--report", report], env);
    assert.equal(healed.code, 0, healed.stderr);
    assert.match(
      healed.stdout,
      /1 added, 2 unchanged, 0 failed, 0 skipped; results in ".*second\.csv"/,
    );
    assert.deepEqual((await readResults(report)).map((r) => r.outcome), [
      "unchanged",
      "added",
      "unchanged",
    ]);
    assert.ok(crystal.members.has("new.user2"));

    const dry = await cli([input, "--remove", "--dry-run"], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /3 to remove, 0 unchanged, 0 invalid/);
    assert.ok(crystal.members.has("new.user2"), "a dry run changes nothing");

    const removed = await cli([input, "--remove", "--concurrency", "2"], env);
    assert.equal(removed.code, 0, removed.stderr);
    const reports = await resultsFiles(input);
    assert.equal(reports.length, 2, `a new results file for every run: ${reports.join(", ")}`);
    assert.equal(reports[0], firstReport);
    assert.equal(await Deno.readTextFile(firstReport), firstText, "the first record is kept");
    assert.deepEqual((await readResults(reports[1])).map((r) => r.outcome), [
      "removed",
      "removed",
      "removed",
    ]);
    assert.equal(crystal.members.has("new.user2"), false);

    // A named --report that exists stops the run before any request, unless --force.
    const actions = sb.state.actions.length;
    const taken = await cli([input, "--report", report, "--json"], env);
    assert.equal(taken.code, 2, taken.stderr);
    assert.match(
      taken.stderr,
      /results file ".*second\.csv" exists already; nothing was applied\. .*--force to replace it/,
    );
    const refusal = JSON.parse(taken.stdout);
    assert.equal(refusal.ok, false, "--json says ok false for every exit status but 0");
    assert.match(refusal.error, /exists already/);
    assert.equal(sb.state.actions.length, actions, "nothing was applied");
    assert.ok(crystal.members.has("new.user2") === false);
    const forced = await cli([input, "--report", report, "--force", "--json"], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(JSON.parse(forced.stdout).ok, true);
    assert.deepEqual((await readResults(report)).map((r) => r.outcome), [
      "added",
      "added",
      "added",
    ]);
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onboard CLI: an invalid row exits 2 and applies nothing; --skip-invalid applies the rest", async () => {
  const dir = await Deno.makeTempDir();
  const sb = await startSandbox({ port: 0, seed: 1, now: "2026-03-15T12:00:00Z", quiet: true });
  try {
    const env = sandboxUserEnv(sb);
    const input = `${dir}/in.csv`;
    await Deno.writeTextFile(
      input,
      `${HEADER}\nnew.user1,"Acme Chemistry, Ltd.",\nbad name!,,Crystallography\n`,
    );
    const actions = sb.state.actions.length;
    const bad = await cli([input], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /line 3: username "bad name!" is not valid/);
    assert.match(bad.stderr, /nothing was applied/);
    assert.equal(sb.state.actions.length, actions);
    assert.deepEqual(await resultsFiles(input), [], "no results file for a refused run");
    const badJson = await cli([input, "--json"], env);
    assert.equal(badJson.code, 2);
    assert.equal(JSON.parse(badJson.stdout).ok, false);

    const dry = await cli([input, "--skip-invalid", "--dry-run", "--json"], env);
    assert.equal(dry.code, 2, "a dry run predicts the real run's exit status");
    assert.equal(JSON.parse(dry.stdout).ok, false);

    const skip = await cli([input, "--skip-invalid", "--json"], env);
    assert.equal(skip.code, 2, "invalid input stays exit 2 even when the valid rows are applied");
    const summary = JSON.parse(skip.stdout);
    assert.equal(summary.ok, false, "exit 2 and ok agree");
    assert.deepEqual(summary.counts, { added: 1, unchanged: 0, removed: 0, failed: 0, skipped: 1 });
    assert.match(skip.stderr, /Skipped: .*line 3/);
    const rows = await readResults(summary.report);
    assert.deepEqual(rows.map((r) => [r.line, r.outcome]), [["2", "added"], ["3", "skipped"]]);
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onboard main(): malformed files and bad flags are usage errors (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [string, string, RegExp][] = [
      [
        "quote.csv",
        `${HEADER}\nalice,"Acme,\n`,
        /not valid CSV near line \d+: a quoted field is never closed/,
      ],
      [
        "header.csv",
        "user,org\nalice,Acme\n",
        /line 1: the header "user,org" has no "username" column/,
      ],
      ["empty.csv", "", /"[^"]*empty\.csv" is empty/],
      [
        "extra.csv",
        `${HEADER},email\nalice,Acme,,a@b.c\n`,
        /unexpected column\(s\) "email"; remove them or pass --ignore-extra-columns/,
      ],
    ];
    const usage = (pattern: RegExp) => (error: Error) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal(error.exitCode, 2);
      assert.match(error.message, pattern);
      return true;
    };
    for (const [name, content, pattern] of cases) {
      const path = `${dir}/${name}`;
      await Deno.writeTextFile(path, content);
      // The file is refused before any connection is made: the sandbox flag is never used.
      await assert.rejects(() => main([path, "--sandbox"]), usage(pattern), name);
      assert.deepEqual(await resultsFiles(path), []);
    }
    await assert.rejects(
      () => main(["--concurrency", "0", "x.csv"]),
      usage(/Invalid --concurrency "0"; give a whole number from 1 to 16/),
    );
    await assert.rejects(() => main(["--frobnicate", "x.csv"]), usage(/frobnicate/));
    await assert.rejects(() => main(["a.csv", "b.csv"]), usage(/Expected one input file, got 2/));
    await assert.rejects(() => main([]), usage(/No input file given/));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onboard CLI: binary input, a missing file or configuration exit 2; --help exits 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const binary = `${dir}/binary.csv`;
    await Deno.writeFile(binary, new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x00, 0x00, 0xc3]));
    const garbage = await cli([binary], { SQUONK2_ASAPI_URL: "http://127.0.0.1:9/unused" });
    assert.equal(garbage.code, 2);
    assert.match(
      garbage.stderr,
      /^onboard: File ".*binary\.csv" is not UTF-8 text: save it as CSV \(UTF-8\)/,
    );
    assert.deepEqual(await resultsFiles(binary), []);
    const missing = await cli([`${dir}/nope.csv`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Input file ".*nope\.csv" not found; check the path/);
    await Deno.writeTextFile(`${dir}/ok.csv`, `${HEADER}\nalice,Acme,\n`);
    const noConfig = await cli([`${dir}/ok.csv`]);
    assert.equal(noConfig.code, 2);
    assert.match(noConfig.stderr, /SQUONK2_ASAPI_URL is not set/);
    const help = await cli(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: deno task onboard/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onboard CLI --sandbox accepts a BOM-prefixed header and applies the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/bom.csv`;
    await Deno.writeTextFile(
      input,
      `\uFEFF${HEADER}\r\nnew.user1,"Acme Chemistry, Ltd.",Crystallography\r\n`,
    );
    const run = await cli([input, "--sandbox", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.sandbox, true);
    assert.equal(summary.counts.added, 1);
    assert.match(run.stderr, /exist only in the sandbox/);
    const rows = await readResults(summary.report);
    assert.equal(rows[0].message, "organisation added; unit added");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onboard CLI: near-miss names list the nearest names; a ';' file names its separator", async () => {
  const dir = await Deno.makeTempDir();
  const sb = await startSandbox({ port: 0, seed: 1, now: "2026-03-15T12:00:00Z", quiet: true });
  try {
    const env = sandboxUserEnv(sb);
    const input = `${dir}/near.csv`;
    await Deno.writeTextFile(
      input,
      `${HEADER}\nnew.user1,Acme Chemistry,\nnew.user2,,Crystalography\nnew.user3,"Acme Chemistry, Ltd.",Medicinal Chemistry\nnew.user5,,Acme Chemistry\n`,
    );
    const near = await cli([input, "--dry-run"], env);
    assert.equal(near.code, 2, near.stderr);
    const lines = near.stdout.split("\n");
    const line = (n: number) => lines.find((l) => l.startsWith(`  line ${n}: invalid`)) ?? "";
    // Nearest first, worked out by hand: "Acme Chemistry" is inside "Acme Chemistry, Ltd.";
    // the other two shared organisations are further away (Default is never offered).
    assert.match(
      line(2),
      /no organisation named "Acme Chemistry" is visible to you; check the name or use the id; nearest names: "Acme Chemistry, Ltd\.", "=SUM\(A1\) Labs", "Société "Générale" de Synthèse"$/,
    );
    // One letter short of "Crystallography", which comes first, with its organisation.
    assert.match(
      line(3),
      /no unit named "Crystalography" is visible to you; .*nearest names: "Crystallography" \(organisation "Acme Chemistry, Ltd\."\), /,
    );
    assert.doesNotMatch(line(3), /Personal unit/);
    // 9 shared units, 5 shown: the rest are one command away.
    assert.match(line(3), /, and 4 more \(list them all with: deno task charges --list units\)$/);
    assert.match(
      line(4),
      /unit "Medicinal Chemistry" is not in organisation "Acme Chemistry, Ltd\." but in "=SUM\(A1\) Labs" \(unit-[0-9a-f-]{36}\)/,
    );

    // An organisation's name in the unit column is pointed out, then the nearest units.
    assert.match(
      line(5),
      /no unit named "Acme Chemistry" is visible to you \(an organisation is named "Acme Chemistry, Ltd\.": organisations go in the "organisation" column\); .*nearest names: "Medicinal Chemistry" \(organisation "=SUM\(A1\) Labs"\), /,
    );

    const semi = `${dir}/semi.csv`;
    await Deno.writeTextFile(semi, "username;organisation;unit\nnew.user4;;Crystallography\n");
    const refused = await cli([semi], env);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /File ".*semi\.csv" looks separated by ';' \(Excel in some locales\), not by ',': save it as comma-separated CSV \(UTF-8\), or pass --delimiter ';'/,
    );
    assert.deepEqual(await resultsFiles(semi), [], "no results file for a refused file");
    const applied = await cli([semi, "--delimiter", ";", "--json"], env);
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(JSON.parse(applied.stdout).counts, {
      added: 1,
      unchanged: 0,
      removed: 0,
      failed: 0,
      skipped: 0,
    });
    const crystal = [...sb.state.units.values()].find((u) => u.name === "Crystallography")!;
    assert.ok(crystal.members.has("new.user4"));
  } finally {
    await sb.close();
    await Deno.remove(dir, { recursive: true });
  }
});
