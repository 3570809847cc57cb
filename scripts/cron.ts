/**
 * `deno task cron`: the scheduled export job from the command line.
 *
 * Without `--once` it registers a `Deno.cron` before anything is awaited and serves the
 * report server (the same app and wiring as `deno task serve`) over the same report store,
 * as Deno Deploy does; Deploy's entry point is `scripts/deploy.ts` (no flags, the cron
 * registered unconditionally at its top level). Each run exports every unit period and
 * organisation billing cycle that closed in the look-back window and is not in the store
 * yet (reports/schedule/cycle.ts). With `--once` it runs one cycle and prints what it exported.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { isIsoDate } from "../client/dates.ts";
import { runExportCycle } from "../reports/schedule/cycle.ts";
import { CRON_JOB_NAME, type CronConfig, cronConfigFromEnv } from "../reports/schedule/job.ts";
import { cycleJson, formatCycleTable } from "../reports/schedule/output.ts";
import { parseAuthTokens } from "../reports/server/app.ts";
import { openReportStore } from "../reports/store/open.ts";
import { ratesFromEnv } from "../reports/pricing/env.ts";
import {
  createProgress,
  parseFlags,
  parsePort,
  type Progress,
  reportError,
  runCli,
} from "./cli.ts";
import { connect } from "./connect.ts";
import { createService, type CronService } from "./cron_service.ts";

const HELP = `Usage: deno task cron [--once [--at ISO-DATE]] [options]

The scheduled export job. Every run exports each unit whose billing period closed in the
last CRON_LOOK_BACK_DAYS days (each over its own from/until), and each organisation's
billing cycle file (its units' periods that start in one calendar month) once all of them
closed, unless the report store already holds it (with CRON_PERIODS=month or billing,month:
each organisation's last calendar month too). Safe to re-run: nothing is exported twice.

Without --once: registers the daily Deno.cron and serves the report server (like deno task
serve) over the same store, as on Deno Deploy (whose entry point is scripts/deploy.ts).

Options:
  --once           Run one cycle now and exit; prints what it exported
  --at ISO-DATE    With --once: the scheduled time of the run (YYYY-MM-DD or an ISO
                   date-time in UTC); its date is the day whose closed periods are due
                   (default: now)
  --store SPEC     Report store: a directory, "kv" or "kv:PATH" (default $REPORTS_STORE,
                   else ./reports-out with --once and "kv" without)
  --sandbox        Use the built-in sandbox (SANDBOX DATA); with --once its data clock is
                   the --at time
  --json           With --once: print the run as JSON on stdout
  --port N         Without --once: port of the report server (default $PORT or 8080)
  --debug          Print stack traces of errors
  -h, --help       Show this help

Environment:
  CRON_SCHEDULE         five-field cron, UTC, as Deno.cron reads it (default "15 2 * * *":
                        daily 02:15); day-of-week 1 = Sunday .. 7 = Saturday, or SUN..SAT
  CRON_ENABLED          auto (default: only off Deploy or on its production timeline), yes, no
  CRON_LOOK_BACK_DAYS   days looked back for missed periods (default 40)
  CRON_FORMATS          xlsx, csv, focus (FOCUS 1.2 CSV, stored as ..._focus.csv) or a
                        list such as xlsx,csv,focus (default xlsx)
  CRON_PERIODS          billing (default: unit billing periods and organisation billing
                        cycles), month (each organisation's calendar month once it is over,
                        stored as charges_organisation_<id>_month_YYYY-MM.<ext>) or
                        billing,month (both)
  REPORTS_STORE         kv (Deno KV; use this on Deploy), kv:PATH or a directory
  REPORTS_RATES         a rates file (subject,currency,price_per_coin,effective_from): every
                        stored report, and the report server's downloads, priced in money
  REPORTS_ALLOW_UNPRICED  yes: rows of units without a rate stay unpriced (default: the
                        report fails, naming the unit, and is tried again by the next run)
  REPORTS_FLAG_CHANGE   stored XLSX files carry a Change sheet (each period against the one
                        before, collected with it); units and products that changed by more
                        than this many percent, either way, are flagged (default 25; the
                        report server's downloads and pages use it too)
  SQUONK2_ASAPI_URL, SQUONK2_KEYCLOAK_* (client-credentials service account)
  REPORTS_AUTH_TOKENS / REPORTS_OIDC_ISSUER   who may use the report server

A report is stored only when it was collected completely and its totals agree with the
Account Server's own. One that failed (the Account Server failed or sent a malformed answer,
the store failed) or whose totals differ is NOT stored: the run names it and says why (one
line on stderr each, and under the table), and the next run tries it again.

Exit status (--once): 0 when every due report is stored, 1 when any was not stored (the
next run exports it), 2 on bad usage or config.`;

interface CronFlags {
  once: boolean;
  at?: Date;
  store?: string;
  sandbox: boolean;
  json: boolean;
  port: number;
}

function parseCronFlags(args: string[]): CronFlags | "help" {
  const parsed = parseFlags(args, {
    options: {
      once: { type: "boolean" },
      at: { type: "string" },
      store: { type: "string" },
      sandbox: { type: "boolean" },
      json: { type: "boolean" },
      port: { type: "string" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const v = parsed.values;
  if (v.help) return "help";
  if (!v.once && (v.at !== undefined || v.json)) {
    throw new UsageError(`--at and --json need --once: add --once to run one cycle now`);
  }
  const port = v.port === undefined
    ? parsePort(Deno.env.get("PORT") ?? "8080", "PORT")
    : parsePort(v.port);
  return {
    once: v.once === true,
    at: v.at === undefined ? undefined : parseAt(v.at),
    store: v.store,
    sandbox: v.sandbox === true,
    json: v.json === true,
    port,
  };
}

function parseAt(text: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/
    .exec(text.trim());
  // A date alone means midnight UTC of that day; a time without a zone is UTC.
  const time = m && isIsoDate(m[1])
    ? new Date(`${m[1]}${m[2] ?? "T00:00"}${m[3] ?? "Z"}`)
    : new Date(NaN);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(
      `Cannot read --at "${text}": give the scheduled time as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)`,
    );
  }
  return time;
}

/** Secrets that must never appear in a line this job prints. */
function envSecrets(): (string | undefined)[] {
  return [
    Deno.env.get("SQUONK2_KEYCLOAK_USER_PASSWORD"),
    Deno.env.get("SQUONK2_KEYCLOAK_AS_CLIENT_SECRET"),
    Deno.env.get("SQUONK2_ASAPI_TOKEN"),
    ...parseAuthTokens(Deno.env.get("REPORTS_AUTH_TOKENS")),
  ];
}

async function runOnce(flags: CronFlags): Promise<number> {
  const config = cronConfigFromEnv((n) => Deno.env.get(n), { defaultStore: "reports-out" });
  // REPORTS_RATES: a bad rates file stops here (exit 2), before any request.
  const pricing = await ratesFromEnv((n) => Deno.env.get(n));
  const at = flags.at ?? new Date();
  // Connect first: a missing configuration then creates no store directory.
  const conn = await connect({ sandbox: flags.sandbox, sandboxOptions: { now: at } });
  try {
    const store = await openReportStore(flags.store ?? config.store);
    try {
      const ctx = { ...conn, sandbox: flags.sandbox };
      let progress: Progress | undefined;
      const result = await runExportCycle(ctx, {
        at,
        store,
        lookBackDays: config.lookBackDays,
        formats: config.formats,
        periods: config.periods,
        flagChange: config.flagChange,
        rates: pricing.rates,
        allowUnpriced: pricing.allowUnpriced,
        secrets: envSecrets(),
        // On stderr, and only on a terminal (createProgress checks).
        onProgress: (done, total) => {
          progress ??= createProgress("Exporting due reports", total);
          if (done > 0) progress.tick();
        },
      });
      progress?.done();
      const shown = { store: store.location, sandbox: flags.sandbox };
      console.log(flags.json ? cycleJson(result, shown) : formatCycleTable(result, shown));
      return result.failed.length > 0 ? 1 : 0;
    } finally {
      store.close();
    }
  } finally {
    await conn.close();
  }
}

if (import.meta.main) {
  const debug = Deno.args.includes("--debug");
  let flags: CronFlags | "help";
  let config: CronConfig | undefined;
  try {
    flags = parseCronFlags(Deno.args);
    if (flags !== "help" && !flags.once) {
      config = cronConfigFromEnv((n) => Deno.env.get(n), { defaultStore: "kv" });
    }
  } catch (error) {
    Deno.exit(reportError(error, { name: "cron", secrets: envSecrets(), debug }));
  }
  if (flags === "help") {
    console.log(HELP);
  } else if (flags.once) {
    const once = flags;
    await runCli(() => runOnce(once), { name: "cron", secrets: envSecrets() });
  } else {
    let service: CronService;
    try {
      service = createService({ ...flags, secrets: envSecrets() }, config!);
    } catch (error) {
      Deno.exit(reportError(error, { name: "cron", secrets: envSecrets(), debug }));
    }
    // Before anything is awaited or opened. (Deno Deploy's entry point is scripts/deploy.ts,
    // which registers it unconditionally at its top level, as Deploy requires.)
    Deno.cron(CRON_JOB_NAME, service.schedule, service.cronOptions, service.handler);
    await runCli(() => service.serve().then(() => 0), { name: "cron", secrets: envSecrets() });
  }
}
