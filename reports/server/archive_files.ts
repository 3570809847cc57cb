/**
 * Charges files that sit in a directory report store without the store's metadata: the
 * files `deno task demo` and `deno task charges` (without `--store`) write into
 * `./reports-out`, which is also the server's default store. Finance expects every report
 * in that folder in the archive, so the archive lists them too, read from the files
 * themselves: the scope, period and markers from the file name (reports/writers/
 * file_name.ts), the names, row count and exact coins total from the CSV (an XLSX takes
 * them from the CSV of the same name, when there is one).
 *
 * Only names read from the directory itself are ever served, never a name a request
 * makes up.
 *
 * @module
 */

import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Coins } from "../../client/coins.ts";
import { monthRange } from "../charges/periods.ts";
import type { ScopeKind } from "../charges/model.ts";
import type { StoredFormat } from "../store/types.ts";

/** A charges file found in the store's directory, without store metadata. */
export interface LooseReport {
  /** The file's name in the directory. */
  name: string;
  /** `csv`, `xlsx` or `focus` (a FOCUS CSV, `..._focus.csv`). */
  format: StoredFormat;
  /** What the report covers, from the file name. */
  scope: ScopeKind;
  /** The organisation's, unit's or product's name (from the CSV), or the name in the file name. */
  scopeName: string;
  /** The organisation, when the CSV names exactly one. */
  organisationName?: string;
  /** Period from the file name: `from` inclusive, `until` exclusive, `month` when by month. */
  period: { from: string; until: string; month?: string };
  /** Detail rows, when read from a CSV. */
  rowCount?: number;
  /** Exact coins total, when read from a CSV. */
  totalCoins?: string;
  /** The name ends in `_sandbox`. */
  sandbox: boolean;
  /** False when the name ends in `_unreconciled`. */
  reconciled: boolean;
  /** Size in bytes. */
  size: number;
  /** Last modified, ISO 8601 UTC. */
  created: string;
}

/**
 * `charges_<scope>_<name>_<from>_<until>|<YYYY-MM>[_unreconciled][_sandbox][_focus].<ext>`
 * (older files put `_sandbox` before `_unreconciled`).
 */
const FILE_NAME =
  /^charges_(organisation|unit|product|all)_([a-z0-9-]+)_(?:(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})|(\d{4}-\d{2}))((?:_sandbox)?)((?:_unreconciled)?)((?:_sandbox)?)((?:_focus)?)\.(csv|xlsx)$/;

/** CSVs larger than this are listed without reading their totals. */
const MAX_CSV_BYTES = 8 * 1024 * 1024;

/** Reads the scope, period and markers of a charges file name; `null` for any other name. */
export function parseChargesFileName(
  name: string,
): Omit<LooseReport, "size" | "created" | "rowCount" | "totalCoins"> | null {
  const m = FILE_NAME.exec(name);
  if (!m) return null;
  const [, scope, slug, from, until, month, sandbox1, unreconciled, sandbox2, focus, ext] = m;
  if (focus && ext !== "csv") return null;
  let period: LooseReport["period"];
  if (month) {
    try {
      period = monthRange(month);
    } catch {
      return null;
    }
  } else {
    if (from >= until) return null;
    period = { from, until };
  }
  return {
    name,
    format: focus ? "focus" : ext as StoredFormat,
    scope: scope as ScopeKind,
    scopeName: slug,
    period,
    sandbox: sandbox1 !== "" || sandbox2 !== "",
    reconciled: unreconciled === "",
  };
}

const NAME_COLUMN: Record<ScopeKind, string | undefined> = {
  organisation: "organisation_name",
  unit: "unit_name",
  product: "product_name",
  all: undefined,
};

/**
 * A CSV text field as written, without the `'` the CSV writer puts before text that a
 * spreadsheet would take for a formula (reports/writers/csv.ts).
 */
function unescapeText(text: string): string {
  return /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) ? text.slice(1) : text;
}

/** What a charges CSV says about itself: names, rows, exact total. */
async function readCsv(
  path: string,
  scope: ScopeKind,
): Promise<
  { scopeName?: string; organisationName?: string; rowCount: number; totalCoins: string }
> {
  const text = new TextDecoder().decode(await Deno.readFile(path)).replace(/^\uFEFF/, "");
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const orgs = new Set(rows.map((r) => unescapeText(r.organisation_name ?? "")).filter((v) => v));
  const column = NAME_COLUMN[scope];
  const found = column ? rows.find((r) => r[column])?.[column] : undefined;
  const scopeName = found === undefined ? undefined : unescapeText(found);
  return {
    scopeName,
    organisationName: orgs.size === 1 ? [...orgs][0] : undefined,
    rowCount: rows.length,
    totalCoins: Coins.sum(rows.map((r) => r.coins ?? "0")).toString(),
  };
}

/**
 * The charges files in `dir` that have no store metadata (`<name>.meta.json`) and are not
 * in `stored` (names the store lists), newest first. A file that cannot be read is listed
 * from its name alone; a directory that cannot be read gives an empty list. With
 * `readTotals: false` no CSV is read (names, sizes and dates only: enough to serve a file).
 */
export async function listLooseReports(
  dir: string,
  stored: ReadonlySet<string>,
  options: { readTotals?: boolean } = {},
): Promise<LooseReport[]> {
  const readTotals = options.readTotals ?? true;
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile) names.add(entry.name);
    }
  } catch {
    return [];
  }
  const out: LooseReport[] = [];
  const csvInfo = new Map<string, Awaited<ReturnType<typeof readCsv>> | null>();
  for (const name of [...names].sort()) {
    if (stored.has(name) || names.has(`${name}.meta.json`)) continue;
    const parsed = parseChargesFileName(name);
    if (!parsed) continue;
    let info;
    try {
      info = await Deno.stat(join(dir, name));
    } catch {
      continue;
    }
    if (!info.isFile) continue;
    // The plain CSV of the same report holds its names and coins.
    const csvName = name.replace(/(_focus)?\.(xlsx|csv)$/, ".csv");
    if (!csvInfo.has(csvName)) {
      let read = null;
      if (readTotals && names.has(csvName)) {
        try {
          const csvStat = await Deno.stat(join(dir, csvName));
          if (csvStat.size <= MAX_CSV_BYTES) read = await readCsv(join(dir, csvName), parsed.scope);
        } catch {
          read = null;
        }
      }
      csvInfo.set(csvName, read);
    }
    const fromCsv = csvInfo.get(csvName);
    out.push({
      ...parsed,
      ...(fromCsv
        ? {
          scopeName: fromCsv.scopeName || parsed.scopeName,
          organisationName: fromCsv.organisationName,
          rowCount: fromCsv.rowCount,
          totalCoins: fromCsv.totalCoins,
        }
        : {}),
      size: info.size,
      created: (info.mtime ?? new Date(0)).toISOString(),
    });
  }
  return out.sort((a, b) => b.created.localeCompare(a.created) || a.name.localeCompare(b.name));
}

/** The directory of a directory store (its `location`), or `undefined` for KV or none. */
export function storeDirectory(store: unknown): string | undefined {
  const location = (store as { location?: unknown } | undefined)?.location;
  if (typeof location !== "string" || location === "kv" || location.startsWith("kv:")) {
    return undefined;
  }
  return location;
}
