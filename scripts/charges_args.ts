/**
 * The arguments of `deno task charges`: the help text, and parsing and checking every
 * argument before anything is fetched (a bad one is a {@link UsageError}, exit 2).
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import type { ScopeRequest } from "../reports/charges/collect_types.ts";
import { DEFAULT_OUT_DIR, parseFormats, type ReportFormat } from "../reports/writers/export.ts";
import { parsePeriodFlags, type PeriodRequest } from "../reports/charges/periods.ts";
import { DEFAULT_CONCURRENCY } from "../reports/_pool.ts";
import { parseScope } from "../reports/charges/scope.ts";
import { parseSealFlags, SEAL_HELP, SEAL_OPTIONS, type SealRequest } from "./seal_flags.ts";
import { parseFlags } from "./cli.ts";

/** The text of `deno task charges --help`. */
export const HELP = `Export Squonk2 charges to XLSX and CSV.

Usage:
  deno task charges <org|unit|product|all> [ID-OR-NAME] [options]

Scope:
  org NAME|ID       one organisation (exact name, case matters, or org-... id)
  unit NAME|ID      one unit
  product NAME|ID   one product
  all               every organisation you can see

Period (default --pbp -1, the last closed billing period):
  --pbp N           prior billing period N, 0 (current) down to -23
  --pbp A..B        one file per period, e.g. --pbp -11..-1
  --from YYYY-MM-DD --until YYYY-MM-DD
                    a date range, from inclusive, until exclusive (UTC)

Output:
  --format LIST     xlsx, csv or xlsx,csv (default xlsx,csv)
  --out-dir DIR     directory of the files (default ${DEFAULT_OUT_DIR})
  --out FILE        exact file name, when the export makes exactly one file
  --bom             start CSV files with a UTF-8 BOM (for Excel on Windows)
  --store SPEC      keep the reports in a report store instead of --out-dir: a directory,
                    "kv" or "kv:PATH" (the report server's archive page lists them)
  --json            print what was written and the totals as JSON on stdout

Reconciliation (every total is compared with the Account Server's own; by default a
report whose totals disagree, or for which nothing could be compared, is an error:
exit 1, no file written):
  --allow-mismatch  write such reports anyway (exit 0): each file states it inside (the
                    XLSX Summary in red, a reconciliation_warning column in the CSV) and its
                    name ends in _unreconciled; not with --store
  --strict          the default now; accepted so that older command lines keep working

Behaviour:
  --concurrency N   requests in flight at once (default ${DEFAULT_CONCURRENCY})
  --sandbox         start the built-in sandbox and export its (simulated) data
  --debug           print stack traces of errors
  --help            show this help

${SEAL_HELP}

Configuration (environment, or a .env file with deno run --env-file):
  SQUONK2_ASAPI_URL, and either SQUONK2_ASAPI_TOKEN, or SQUONK2_KEYCLOAK_URL,
  SQUONK2_KEYCLOAK_REALM, SQUONK2_KEYCLOAK_AS_CLIENT_ID with
  SQUONK2_KEYCLOAK_AS_CLIENT_SECRET or SQUONK2_KEYCLOAK_USER + _USER_PASSWORD.

Exit status: 0 done, 1 failed or not reconciled, or an answer of the Account Server did not
have its documented shape (nothing written), 2 bad arguments or configuration.
File names: charges_<scope>_<name>_<from>_<until>.<ext> (until is exclusive).`;

/** The charges script's arguments, checked. */
export interface ChargesArgs {
  help: boolean;
  scope: ScopeRequest;
  periods: PeriodRequest[];
  formats: ReportFormat[];
  outDir: string;
  outFile?: string;
  /** Report store spec (`--store`): the reports go there instead of `outDir`. */
  store?: string;
  bom: boolean;
  /**
   * `--allow-mismatch`: write reports whose totals are not reconciled (stated inside the
   * files). Without it such a report is an error and nothing is written.
   */
  allowMismatch: boolean;
  concurrency: number;
  sandbox: boolean;
  json: boolean;
  /** `--seal-for`: write sealed `.xqs` files for these readers instead of plain ones. */
  seal?: SealRequest;
}

const OPTIONS = {
  pbp: { type: "string" },
  from: { type: "string" },
  until: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  "out-dir": { type: "string" },
  store: { type: "string" },
  bom: { type: "boolean" },
  strict: { type: "boolean" },
  "allow-mismatch": { type: "boolean" },
  concurrency: { type: "string" },
  sandbox: { type: "boolean" },
  json: { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...SEAL_OPTIONS,
} as const;

/**
 * Parses and checks the arguments of `deno task charges`.
 *
 * @throws {UsageError} naming the bad argument and the fix.
 */
export function parseChargesArgs(args: readonly string[]): ChargesArgs {
  const parsed = parseFlags(joinNegativeValues(args), {
    options: OPTIONS,
    allowPositionals: true,
  });
  const v = parsed.values;
  const none = { kind: "all" as const };
  if (v.help) return { ...defaults(), help: true, scope: none, periods: [] };
  const [word, ref, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    throw new UsageError(
      `Unexpected argument "${extra[0]}": quote a name with spaces, e.g. org "My Org"`,
    );
  }
  const scope = parseScope(word, ref);
  const periods = parsePeriodFlags({ pbp: v.pbp, from: v.from, until: v.until });
  // `--out report.csv` without --format means that one format.
  const outExt = v.out?.toLowerCase().match(/\.(csv|xlsx)$/)?.[1];
  const formats = parseFormats(v.format ?? outExt ?? "xlsx,csv");
  if (v.out !== undefined && v["out-dir"] !== undefined) {
    throw new UsageError(`Give --out FILE or --out-dir DIR, not both`);
  }
  if (v.store !== undefined && (v.out !== undefined || v["out-dir"] !== undefined)) {
    throw new UsageError(`Give --store SPEC or --out/--out-dir, not both`);
  }
  if (v.store !== undefined && v.store.trim() === "") {
    throw new UsageError(`--store "" names no store: give a directory, "kv" or "kv:PATH"`);
  }
  if (v.strict && v["allow-mismatch"]) {
    throw new UsageError(
      `Give --strict or --allow-mismatch, not both: --strict (the default) refuses to write ` +
        `unreconciled totals, --allow-mismatch writes them with the mismatch stated`,
    );
  }
  if (v["allow-mismatch"] && v.store !== undefined) {
    throw new UsageError(
      `--allow-mismatch cannot be used with --store: the report store keeps only reconciled ` +
        `reports; write the files with --out-dir instead`,
    );
  }
  const files = periods.length * formats.length;
  if (v.out !== undefined && files > 1) {
    throw new UsageError(
      `--out "${v.out}" names one file but this export makes ${files}: use --out-dir DIR instead, or ask for one --format and one period`,
    );
  }
  if (v.out !== undefined && outExt !== formats[0]) {
    throw new UsageError(
      `--out "${v.out}" does not end in .${formats[0]}: name the file *.${formats[0]}`,
    );
  }
  return {
    help: false,
    scope,
    periods,
    formats,
    outDir: v["out-dir"] ?? DEFAULT_OUT_DIR,
    outFile: v.out,
    store: v.store,
    bom: v.bom === true,
    allowMismatch: v["allow-mismatch"] === true,
    concurrency: parseConcurrency(v.concurrency),
    sandbox: v.sandbox === true,
    json: v.json === true,
    seal: parseSealFlags(v),
  };
}

function defaults(): Omit<ChargesArgs, "help" | "scope" | "periods"> {
  return {
    formats: ["xlsx", "csv"],
    outDir: DEFAULT_OUT_DIR,
    bom: false,
    allowMismatch: false,
    concurrency: DEFAULT_CONCURRENCY,
    sandbox: false,
    json: false,
  };
}

function parseConcurrency(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64) {
    throw new UsageError(`Cannot use --concurrency "${text}": give an integer from 1 to 64`);
  }
  return n;
}

/** `--pbp -1` would read `-1` as a flag: join such values as `--pbp=-1`. */
function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (["--pbp", "--from", "--until"].includes(args[i]) && next?.startsWith("-")) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}
