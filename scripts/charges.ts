/**
 * `deno task charges`: export the charges of an organisation, unit, product or of all
 * organisations for one or more billing periods to XLSX and/or CSV files, with exact totals
 * reconciled against the Account Server's own.
 *
 * Every argument is checked before anything is fetched, and files are written only once
 * every period has been collected (and, with `--strict`, reconciled): a failed run leaves no
 * file behind.
 *
 * @module
 */

import { ReconciliationError } from "../client/errors.ts";
import { collectChargeReports } from "../reports/collect.ts";
import { reportJson, reportLines, SANDBOX_BANNER } from "../reports/collect_summary.ts";
import { exportReportsToFiles } from "../reports/export.ts";
import { describeMismatches } from "../reports/reconcile.ts";
import { storeReports } from "../reports/store_report.ts";
import { HELP, parseChargesArgs } from "./charges_args.ts";
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
  // Sealing needs XQ settings: check them before any request, not after the collection.
  if (opts.seal) resolveXqConfig();
  const conn = await connect({ sandbox: opts.sandbox });
  let progress: Progress | undefined;
  let shown = 0;
  try {
    const { reports, requests, notes } = await collectChargeReports(
      { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: opts.sandbox },
      { scope: opts.scope, periods: opts.periods },
      {
        concurrency: opts.concurrency,
        onProgress(done, total) {
          progress ??= createProgress("Collecting charges", total);
          progress.tick(done - shown);
          shown = done;
        },
      },
    );
    progress?.done();
    for (const note of notes) console.error(`charges: note: ${note}`);
    const bad = reports.filter((r) => !r.reconciliation.ok);
    for (const r of bad) {
      const text = `totals of ${r.period.label} disagree with the server: ${
        describeMismatches(r.reconciliation)
      }`;
      if (opts.strict) {
        throw new ReconciliationError(
          `The ${text}; nothing was written (drop --strict to write the files with this warning)`,
        );
      }
      console.error(`charges: warning: ${text}`);
    }
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
    if (opts.json) {
      console.log(JSON.stringify(
        {
          sandbox: opts.sandbox,
          requests,
          notes,
          reports: reports.map((r, i) => reportJson(r, perReport[i])),
        },
        null,
        2,
      ));
    } else {
      if (opts.sandbox) console.log(SANDBOX_BANNER);
      reports.forEach((r, i) => console.log(reportLines(r, perReport[i]).join("\n")));
      console.log(`${requests} requests to ${conn.sourceUrl}`);
    }
    return 0;
  } finally {
    progress?.done();
    await conn.close();
  }
}

if (import.meta.main) {
  await runCli(main, { name: "charges" });
}
