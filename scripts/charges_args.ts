/**
 * The arguments of `deno task charges`: the help text, and parsing and checking every
 * argument before anything is fetched (a bad one is a {@link UsageError}, exit 2).
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import type { ScopeRequest } from "../reports/charges/collect_types.ts";
import {
  DEFAULT_OUT_DIR,
  formatExtension,
  parseFormats,
  type ReportFormat,
} from "../reports/writers/export.ts";
import { parsePeriodFlags, type PeriodRequest } from "../reports/charges/periods.ts";
import { DEFAULT_CONCURRENCY } from "../reports/_pool.ts";
import { parseScope } from "../reports/charges/scope.ts";
import { type ListKind, parseListKind } from "../reports/charges/names.ts";
import { DEFAULT_FLAG_CHANGE, parseFlagChange } from "../reports/charges/change.ts";
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
  --pbp N           prior billing period N, 0 (current, "so far") down to -23; each unit
                    bills on its own day of the month, so an organisation's period can
                    span more than a calendar month
  --pbp A..B        one file per period, e.g. --pbp -11..-1 (either order)
  --month YYYY-MM   a calendar month, e.g. --month 2026-11 (2026-11-01 to 2026-12-01 excl.);
                    the current month is allowed ("so far"), a future one is not
  --month A..B      one file per month, oldest first, e.g. --month 2026-01..2026-03
  --from YYYY-MM-DD --until YYYY-MM-DD
                    a date range, from inclusive, until exclusive (UTC)
  Give one of --pbp, --month or --from/--until.

Output:
  --format LIST     xlsx, csv, focus or a list such as xlsx,csv,focus (default xlsx,csv);
                    focus is a CSV in FOCUS 1.2 (FinOps Open Cost and Usage Specification),
                    named ..._focus.csv
  --out-dir DIR     directory of the files (default ${DEFAULT_OUT_DIR})
  --out FILE        exact file name, when the export makes exactly one file
  --bom             start CSV files with a UTF-8 BOM (for Excel on Windows)
  --store SPEC      keep the reports in a report store instead of --out-dir: a directory,
                    "kv" or "kv:PATH" (the report server's archive page lists them)
  --json            print what was written and the totals as JSON on stdout

Money (prices per coin from a rates file):
  --rates FILE      CSV with the columns subject,currency,price_per_coin,effective_from
                    (subject: an organisation or unit, by id or exact name; currency: ISO
                    4217). Every row gets price_per_coin, amount and currency (coins x price,
                    rounded half-to-even per row to the currency's minor unit) and the totals
                    are given in money per currency. A unit's rate beats its organisation's;
                    the latest effective_from on or before the charge's day applies
  --allow-unpriced  price rows of units without a rate at nothing (empty amount) instead of
                    stopping with exit 2

Change since the previous period (the XLSX "Change" sheet; the previous period is collected
too: pbp N-1, the calendar month before, or the range of the same length just before):
  --flag-change N   flag units and products whose coins changed by more than N percent
                    either way (default 25; exactly N is not flagged)
  --no-change       leave the Change sheet out (and do not collect the previous period)

Reconciliation (every total is compared with the Account Server's own; by default a
report whose totals disagree, or for which nothing could be compared, is an error:
exit 1, no file written):
  --allow-mismatch  write such reports anyway (exit 0): each file states it inside (the
                    XLSX Summary in red, a reconciliation_warning column in the CSV) and its
                    name ends in _unreconciled; not with --store
  --strict          the default now; accepted so that older command lines keep working

Finding names (prints names and ids instead of exporting; --json for JSON):
  --list organisations            every organisation you can see
  --list units [ORG]              units, optionally of one organisation (name or id)
  --list products [ORG|UNIT]      products, optionally of one organisation or unit

Behaviour:
  --concurrency N   requests in flight at once (default ${DEFAULT_CONCURRENCY})
  --sandbox         start the built-in sandbox and export its (simulated) data. Data from
                    any sandbox (also one reached through SQUONK2_ASAPI_URL) is marked:
                    file names end in _sandbox, the XLSX Summary says SANDBOX DATA, and
                    every CSV row has data_source SANDBOX (ACCOUNT_SERVER otherwise)
  --debug           print stack traces of errors
  --help            show this help

${SEAL_HELP}

Configuration (environment, or a .env file with deno run --env-file):
  SQUONK2_ASAPI_URL, and either SQUONK2_ASAPI_TOKEN, or SQUONK2_KEYCLOAK_URL,
  SQUONK2_KEYCLOAK_REALM, SQUONK2_KEYCLOAK_AS_CLIENT_ID with
  SQUONK2_KEYCLOAK_AS_CLIENT_SECRET or SQUONK2_KEYCLOAK_USER + _USER_PASSWORD.
  SQUONK2_ASAPI_TIMEOUT_S: seconds to wait for each answer (default 4; raise it for a slow
  server).

Exit status: 0 done, 1 failed or not reconciled, or an answer of the Account Server did not
have its documented shape (nothing written), 2 bad arguments or configuration.
File names: charges_<scope>_<name>_<from>_<until>.<ext> (until is exclusive), or
charges_<scope>_<name>_<YYYY-MM>.<ext> for a calendar month; then _unreconciled (with
--allow-mismatch) and _sandbox (sandbox data) before the extension.`;

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
  /** `--list KIND [REF]`: print names and ids instead of exporting. */
  list?: { kind: ListKind; ref?: string };
  /** `--rates FILE`: price the rows with this rates file (read before any request). */
  rates?: string;
  /** `--allow-unpriced`: leave rows without a rate unpriced instead of failing. */
  allowUnpriced?: boolean;
  /** `--flag-change`: the Change sheet's flag threshold in percent (default "25"). */
  flagChange?: string;
  /** `--no-change`: no Change sheet, and the previous period is not collected. */
  noChange?: boolean;
}

const OPTIONS = {
  pbp: { type: "string" },
  month: { type: "string" },
  list: { type: "string" },
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
  "flag-change": { type: "string" },
  "no-change": { type: "boolean" },
  rates: { type: "string" },
  "allow-unpriced": { type: "boolean" },
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
  if (v.list !== undefined) {
    const [ref, ...rest] = parsed.positionals;
    if (rest.length > 0) {
      throw new UsageError(
        `Unexpected argument "${
          rest[0]
        }": --list takes one organisation or unit, quote a name with spaces`,
      );
    }
    const exporting = ["pbp", "month", "from", "until", "format", "out", "out-dir", "store"]
      .find((k) => v[k as keyof typeof v] !== undefined);
    if (exporting) {
      throw new UsageError(
        `--list prints names and ids and exports nothing: drop --${exporting}, or drop --list to export`,
      );
    }
    return {
      ...defaults(),
      help: false,
      scope: none,
      periods: [],
      list: { kind: parseListKind(v.list, ref), ...(ref !== undefined ? { ref } : {}) },
      sandbox: v.sandbox === true,
      json: v.json === true,
    };
  }
  const [word, ref, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    throw new UsageError(
      `Unexpected argument "${extra[0]}": quote a name with spaces, e.g. org "My Org"`,
    );
  }
  const scope = parseScope(word, ref);
  const periods = parsePeriodFlags({ pbp: v.pbp, from: v.from, until: v.until, month: v.month });
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
  if (v.out !== undefined && outExt !== formatExtension(formats[0])) {
    const ext = formatExtension(formats[0]);
    throw new UsageError(
      `--out "${v.out}" does not end in .${ext}: name the file *.${ext}`,
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
    ...changeFlags(v["flag-change"], v["no-change"] === true, formats),
    ...ratesFlags(v.rates, v["allow-unpriced"] === true),
  };
}

/** `--rates FILE` and `--allow-unpriced` (the file itself is read by the script). */
function ratesFlags(
  rates: string | undefined,
  allowUnpriced: boolean,
): { rates?: string; allowUnpriced: boolean } {
  if (rates !== undefined && rates.trim() === "") {
    throw new UsageError(`--rates "" names no file: give the path of a rates CSV`);
  }
  if (allowUnpriced && rates === undefined) {
    throw new UsageError(`--allow-unpriced only applies with --rates FILE: add --rates or drop it`);
  }
  return rates === undefined ? { allowUnpriced } : { rates, allowUnpriced };
}

/** `--flag-change N` and `--no-change`: they apply to the XLSX Change sheet only. */
function changeFlags(
  flag: string | undefined,
  noChange: boolean,
  formats: readonly string[],
): { flagChange: string; noChange: boolean } {
  if (flag !== undefined && noChange) {
    throw new UsageError(
      `Give --flag-change or --no-change, not both: --no-change leaves the Change sheet out`,
    );
  }
  if (flag !== undefined && !formats.includes("xlsx")) {
    throw new UsageError(
      `--flag-change "${flag}" applies to the XLSX Change sheet, and no XLSX file is asked ` +
        `for: add xlsx to --format, or drop --flag-change`,
    );
  }
  return { flagChange: parseFlagChange(flag ?? DEFAULT_FLAG_CHANGE), noChange };
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
