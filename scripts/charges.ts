/**
 * `deno task charges`: export the charges of an organisation, unit, product or of all
 * organisations for one or more billing periods to XLSX and/or CSV files, with exact totals
 * reconciled against the Account Server's own.
 *
 * Every argument is checked before anything is fetched, and files are written only once
 * every period has been collected and reconciled with the server's totals: a failed run, an
 * answer that does not fit its schema (`ProtocolError`) or a report that is not reconciled
 * (totals that disagree, or nothing that could be compared) ends with exit 1 and leaves no
 * file behind. `--allow-mismatch` writes unreconciled reports, each stating it inside.
 *
 * @module
 */

import { ReconciliationError, UsageError } from "../client/errors.ts";
import { collectChargeReports } from "../reports/charges/collect.ts";
import { attachChanges, withPreviousPeriods } from "../reports/charges/change_periods.ts";
import { reportJson, reportLines, SANDBOX_BANNER } from "../reports/charges/summary.ts";
import { exportReportsToFiles } from "../reports/writers/export.ts";
import type { ChargeReport } from "../reports/charges/model.ts";
import { reconciliationProblem } from "../reports/charges/reconcile.ts";
import { storeReports } from "../reports/store/report.ts";
import { priceReport } from "../reports/pricing/price.ts";
import { readRatesFile } from "../reports/pricing/rates.ts";
import { type ChargesArgs, HELP, parseChargesArgs } from "./charges_args.ts";
import { createApiCaller } from "../reports/charges/calls.ts";
import { listNames, nameTable } from "../reports/charges/names.ts";
import { createProgress, type Progress, runCli } from "./cli.ts";
import { connect } from "./connect.ts";
import { createSealEncoder } from "./seal_flags.ts";
import { resolveXqConfig } from "../client/xq/config.ts";

export { type ChargesArgs, parseChargesArgs } from "./charges_args.ts";

/** Runs the charges export; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  const opts = parseChargesArgs(args);
  if (opts.help) {
    console.log(HELP);
    return 0;
  }
  if (opts.list) return await listMain(opts);
  // Sealing needs XQ settings: check them before any request, not after the collection.
  if (opts.seal) resolveXqConfig();
  if (!opts.store) await checkOutputPlace(opts.outFile, opts.outDir);
  // --rates: a bad rates file stops the run (exit 2) before any request.
  const rates = opts.rates !== undefined ? await readRatesFile(opts.rates) : undefined;
  const conn = await connect({ sandbox: opts.sandbox });
  let progress: Progress | undefined;
  let shown = 0;
  // The rows wait in a temporary file (memory stays bounded), removed in `finally`.
  let releaseRows: (() => Promise<void>) | undefined;
  try {
    // The XLSX Change sheet compares each period with the one before it: collect those too
    // (a --pbp A..B range needs only one more), unless --no-change or no XLSX is asked for.
    const withChange = opts.formats.includes("xlsx") && opts.noChange !== true;
    const periods = withChange ? withPreviousPeriods(opts.periods) : opts.periods;
    const { reports: collected, requests, notes, close } = await collectChargeReports(
      { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: opts.sandbox },
      { scope: opts.scope, periods },
      {
        concurrency: opts.concurrency,
        spool: true,
        onProgress(done, total) {
          progress ??= createProgress("Collecting charges", total);
          progress.tick(done - shown);
          shown = done;
        },
      },
    );
    releaseRows = close;
    progress?.done();
    for (const note of notes) console.error(`charges: note: ${note}`);
    // --rates: every row priced; a unit without a rate stops the run here (exit 2, nothing
    // written) unless --allow-unpriced. Periods collected only to compare with are priced
    // leniently (the Change sheet then leaves their money out).
    const priced = rates === undefined ? collected : await Promise.all(
      collected.map((r, i) =>
        priceReport(r, rates, {
          allowUnpriced: opts.allowUnpriced === true || i >= opts.periods.length,
        })
      ),
    );
    // Only the periods asked for are written (and gated); the others were collected to compare.
    const reports = withChange
      ? attachChanges(priced, periods, opts.periods.length, { threshold: opts.flagChange })
      : priced;
    gateReconciliation(reports, opts.allowMismatch);
    // --seal-for: every file's key in one XQ call, each file sealed in memory before the
    // atomic write, so the plain file never touches the disk.
    const fileCount = reports.length * opts.formats.length;
    const encode = opts.seal && fileCount > 0
      ? await createSealEncoder(fileCount, opts.seal)
      : undefined;
    // With --store the reports go into the report store (listed only once complete).
    const files = opts.store
      ? await storeReports(opts.store, reports, { formats: opts.formats, bom: opts.bom })
      : await exportReportsToFiles(reports, {
        formats: opts.formats,
        outDir: opts.outDir,
        outFile: opts.outFile,
        bom: opts.bom,
        encode,
      });
    // Files come back report by report, one per format.
    const n = opts.formats.length;
    const perReport = reports.map((_, i) => files.slice(i * n, (i + 1) * n));
    // Any answer from a sandbox (also one reached through SQUONK2_ASAPI_URL) marks the run.
    const sandbox = opts.sandbox || conn.api.answeredBySandbox() || reports.some((r) => r.sandbox);
    if (opts.json) {
      console.log(JSON.stringify(
        {
          sandbox,
          requests,
          notes,
          reports: reports.map((r, i) => reportJson(r, perReport[i])),
        },
        null,
        2,
      ));
    } else {
      if (sandbox) console.log(SANDBOX_BANNER);
      reports.forEach((r, i) => console.log(reportLines(r, perReport[i]).join("\n")));
      console.log(`${requests} requests to ${conn.sourceUrl}`);
    }
    return 0;
  } finally {
    progress?.done();
    await releaseRows?.();
    await conn.close();
  }
}

/** `--list KIND [REF]`: prints names and ids (a table, or JSON with `--json`). */
async function listMain(opts: ChargesArgs): Promise<number> {
  const list = opts.list!;
  const conn = await connect({ sandbox: opts.sandbox });
  try {
    const calls = createApiCaller(conn.tokens);
    const names = await listNames({ calls, api: conn.api }, list.kind, list.ref);
    const sandbox = opts.sandbox || conn.api.answeredBySandbox();
    if (opts.json) {
      console.log(JSON.stringify({ sandbox, ...names }, null, 2));
    } else {
      if (sandbox) console.log(SANDBOX_BANNER);
      console.log(nameTable(names));
    }
    return 0;
  } finally {
    await conn.close();
  }
}

/**
 * The reconciliation gate: a report that is not reconciled (totals that disagree with the
 * server's, or nothing that could be compared) stops the run before anything is written,
 * unless `allowMismatch`, when each is reported as a warning and written with the problem
 * stated inside its files.
 *
 * @throws {ReconciliationError} naming each unreconciled report, what disagrees and the
 *   flag that writes it anyway.
 */
export function gateReconciliation(
  reports: readonly ChargeReport[],
  allowMismatch: boolean,
): void {
  const problems = reports.flatMap((r) => {
    const problem = reconciliationProblem(r.reconciliation);
    return problem === undefined ? [] : [`${describeReport(r)}: ${problem}`];
  });
  if (problems.length === 0) return;
  if (allowMismatch) {
    for (const p of problems) {
      console.error(`charges: warning: NOT RECONCILED, written as asked (--allow-mismatch): ${p}`);
    }
    return;
  }
  const which = problems.length === 1 ? "" : `${problems.length} of ${reports.length} reports: `;
  throw new ReconciliationError(
    `Not reconciled with the Account Server's totals, so nothing was written: ${which}` +
      problems.join("; ") +
      `. Check the data with the Account Server's administrators; to write the files anyway, ` +
      `with this stated inside them, add --allow-mismatch`,
  );
}

function describeReport(report: ChargeReport): string {
  const scope = report.scope === "all"
    ? "all organisations"
    : `${report.scope} "${report.scopeName}" (${report.scopeId})`;
  return `${scope}, ${report.period.label}`;
}

/**
 * Refuses, before any request, an output place that cannot hold the files: `--out-dir`
 * naming a file, or `--out` naming a directory (a missing directory is created later).
 *
 * @throws {UsageError} naming the flag and the fix.
 */
async function checkOutputPlace(outFile: string | undefined, outDir: string): Promise<void> {
  const kind = async (path: string) => {
    try {
      return (await Deno.stat(path)).isDirectory ? "directory" : "file";
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "none";
      throw error;
    }
  };
  if (outFile !== undefined) {
    if (await kind(outFile) === "directory") {
      throw new UsageError(
        `--out "${outFile}" is a directory: give a file name such as report.xlsx, or use --out-dir`,
      );
    }
  } else if (await kind(outDir) === "file") {
    throw new UsageError(
      `--out-dir "${outDir}" is a file, not a directory: give a directory (it is created when missing)`,
    );
  }
}

if (import.meta.main) {
  await runCli(main, { name: "charges" });
}
