/**
 * `deno task onboard`: adds (or with `--remove`, removes) the organisation and unit
 * memberships listed in a CSV, and writes one result line per input row.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { applyOnboardPlan } from "../reports/onboard/apply.ts";
import { type Delimiter, parseDelimiter, parseOnboardCsv } from "../reports/onboard/csv.ts";
import { buildOnboardPlan } from "../reports/onboard/plan.ts";
import {
  defaultResultsPath,
  formatPlan,
  formatSummary,
  planExitCode,
  planSummary,
  resultsExitCode,
  resultsSummary,
  writeResultsCsv,
} from "../reports/onboard/report.ts";
import { createProgress, parseFlags, runCli } from "./cli.ts";
import { connect } from "./connect.ts";

const HELP = `Usage: deno task onboard [options] FILE.csv

Adds users to organisations and units in bulk (or removes them with --remove).
FILE.csv has the header "username,organisation,unit"; organisation and unit are ids
(org-..., unit-...) or exact names; a row names an organisation, a unit, or both (then
the user joins both, and a unit name is looked up inside that organisation).
Every row is checked before anything is applied: if any row is invalid, nothing changes.
Members already in place are reported "unchanged"; re-running a file is safe.

Options:
  --remove                 Remove the listed memberships instead (offboarding)
  --dry-run                Print the plan (to add, unchanged, to remove); change nothing
  --skip-invalid           Apply the valid rows even if some are invalid (reported skipped)
  --ignore-extra-columns   Accept and ignore columns other than the three above
  --delimiter D            Field separator of FILE.csv: "," (default), ";", tab or "|"
                           (Excel writes ";" in some locales), e.g. --delimiter ';'
  --concurrency N          Requests in flight at once, 1-16 (default 4)
  --report FILE            Results CSV; default: a new file next to the input for every
                           run, FILE.csv.results-<UTC time>.csv (e.g.
                           users.csv.results-2026-12-02T053712Z.csv). An existing FILE
                           is never replaced: the run stops before any change unless
                           --force
  --force                  With --report: replace FILE if it exists
  --json                   Print a machine-readable summary on stdout; its "ok" is true
                           exactly when the exit status is 0
  --sandbox                Use a built-in sandbox started in this process (changes
                           exist only there); otherwise credentials come from the
                           environment (SQUONK2_ASAPI_URL, SQUONK2_KEYCLOAK_*)
  --debug                  Print stack traces of errors
  -h, --help               Show this help

Exit status: 0 every row succeeded (or was unchanged); 1 some row failed (the others
were applied and reported; run the same file again to complete it); 2 bad usage or
invalid input: nothing applied, or with --skip-invalid only the valid rows (still 2,
since the file needs fixing; a --dry-run with invalid rows is 2 as well).`;

/** Parsed command line of the onboard script. */
interface OnboardFlags {
  input: string;
  action: "add" | "remove";
  dryRun: boolean;
  skipInvalid: boolean;
  ignoreExtraColumns: boolean;
  concurrency: number;
  /** The results file, and whether the user named it (`--report`). */
  report: { path: string; named: boolean };
  force: boolean;
  delimiter: Delimiter;
  json: boolean;
  sandbox: boolean;
}

function parseOnboardFlags(args: string[]): OnboardFlags | "help" {
  const parsed = parseFlags(args, {
    allowPositionals: true,
    options: {
      remove: { type: "boolean" },
      "dry-run": { type: "boolean" },
      "skip-invalid": { type: "boolean" },
      "ignore-extra-columns": { type: "boolean" },
      concurrency: { type: "string" },
      report: { type: "string" },
      force: { type: "boolean" },
      delimiter: { type: "string" },
      json: { type: "boolean" },
      sandbox: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "No input file given; pass the CSV to onboard, e.g. deno task onboard users.csv"
        : `Expected one input file, got ${positionals.length} ("${
          positionals.join('", "')
        }"); pass one CSV per run`,
    );
  }
  const raw = values.concurrency ?? "4";
  const concurrency = Number(raw);
  if (!/^\d+$/.test(raw) || concurrency < 1 || concurrency > 16) {
    throw new UsageError(`Invalid --concurrency "${raw}"; give a whole number from 1 to 16`);
  }
  const input = positionals[0];
  if (values.force && values.report === undefined) {
    throw new UsageError(
      "--force only applies to --report FILE (the default results file is new for every run); drop it or add --report",
    );
  }
  return {
    input,
    action: values.remove ? "remove" : "add",
    dryRun: values["dry-run"] ?? false,
    skipInvalid: values["skip-invalid"] ?? false,
    ignoreExtraColumns: values["ignore-extra-columns"] ?? false,
    concurrency,
    report: values.report === undefined
      ? { path: defaultResultsPath(input), named: false }
      : { path: values.report, named: true },
    force: values.force ?? false,
    delimiter: values.delimiter === undefined ? "," : parseDelimiter(values.delimiter),
    json: values.json ?? false,
    sandbox: values.sandbox ?? false,
  };
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`Input file "${path}" not found; check the path`);
    }
    if (
      error instanceof Deno.errors.IsADirectory || (error as Error).message?.includes("directory")
    ) {
      throw new UsageError(`Input "${path}" is a directory; pass a CSV file`);
    }
    throw new UsageError(
      `Cannot read input file "${path}" (${(error as Error).message}); check it`,
    );
  }
}

/** A named `--report` that exists stops the run before any request, unless `--force`. */
async function checkReportFree(flags: OnboardFlags): Promise<void> {
  if (!flags.report.named || flags.force) return;
  const taken = await Deno.lstat(flags.report.path).then(() => true, () => false);
  if (taken) {
    throw new UsageError(
      `The results file "${flags.report.path}" exists already; nothing was applied. Choose another --report, leave --report out (a new file is named for every run), or pass --force to replace it`,
    );
  }
}

/** Runs the onboard CLI with `args`; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const flags = parseOnboardFlags(args);
  if (flags === "help") {
    console.log(HELP);
    return 0;
  }
  let printed = false;
  const printJson = (value: Record<string, unknown>) => {
    printed = true;
    console.log(JSON.stringify(value));
  };
  try {
    return await run(flags, printJson);
  } catch (error) {
    // With --json, stdout always carries one object, and its "ok" is false whenever the
    // exit status is not 0 (the message is on stderr as well, as for every error).
    if (flags.json && !printed) {
      const message = error instanceof Error ? error.message : String(error);
      printJson({ file: flags.input, action: flags.action, ok: false, error: message });
    }
    throw error;
  }
}

async function run(
  flags: OnboardFlags,
  printJson: (value: Record<string, unknown>) => void,
): Promise<number> {
  const parsed = parseOnboardCsv(await readInput(flags.input), {
    file: flags.input,
    ignoreExtraColumns: flags.ignoreExtraColumns,
    delimiter: flags.delimiter,
  });
  if (!flags.dryRun) await checkReportFree(flags);
  const conn = await connect({ sandbox: flags.sandbox });
  try {
    const sandboxNote = flags.sandbox
      ? "Sandbox: these changes exist only in the sandbox started by this run"
      : undefined;
    const plan = await buildOnboardPlan(conn, parsed, {
      action: flags.action,
      concurrency: flags.concurrency,
    });
    const blocked = plan.invalid.length > 0 && !flags.skipInvalid;
    if (flags.dryRun) {
      if (flags.json) printJson({ ...planSummary(plan), sandbox: flags.sandbox });
      else console.log(formatPlan(plan));
      if (flags.sandbox) {
        console.error("Sandbox: this plan was made against a sandbox started by this run");
      }
      return planExitCode(plan);
    }
    if (blocked && flags.json) {
      const invalid = plan.invalid.map((i) => ({ line: i.line, message: i.message }));
      printJson({ file: plan.file, action: plan.action, ok: false, applied: false, invalid });
    }
    const progress = createProgress(
      flags.action === "add" ? "Onboarding" : "Offboarding",
      plan.rows.length,
    );
    let results;
    try {
      results = await applyOnboardPlan(conn, plan, {
        concurrency: flags.concurrency,
        skipInvalid: flags.skipInvalid,
        onRow: () => progress.tick(),
      });
    } finally {
      progress.done();
    }
    // A named --report is replaced only with --force (checked before anything changed, and
    // again here: never overwritten); the default name is new for every run, numbered if
    // two runs start in the same second.
    const report = await writeResultsCsv(flags.report.path, results, {
      ifExists: flags.report.named ? (flags.force ? "replace" : "refuse") : "number",
    });
    for (const r of results.results) {
      if (r.outcome === "skipped") console.error(`Skipped: ${r.message}`);
    }
    if (flags.json) {
      const summary = resultsSummary(results, { report });
      printJson({ ...summary, sandbox: flags.sandbox });
    } else {
      console.log(`${formatSummary(results)}; results in "${report}"`);
      for (const r of results.results) {
        if (r.outcome === "failed") {
          console.log(`  line ${r.line}: ${r.username} -> ${r.target}: ${r.message}`);
        }
      }
    }
    if (sandboxNote) console.error(sandboxNote);
    // Invalid input is exit 2 even when --skip-invalid applied the valid rows: the file
    // still needs fixing, and automation must not read a partly skipped file as success.
    // The JSON's "ok" says the same (false unless the exit status is 0).
    return resultsExitCode(results);
  } finally {
    await conn.close();
  }
}

if (import.meta.main) {
  await runCli(main, { name: "onboard" });
}
