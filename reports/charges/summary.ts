/**
 * What the charges and demo scripts print about an export: short human lines, a totals
 * table, and the `--json` document.
 *
 * @module
 */

import type { WrittenFile } from "../writers/export.ts";
import type { ChargeReport } from "./model.ts";
import { describeMismatches } from "./reconcile.ts";
import { moneyLines } from "../pricing/summary.ts";

/** The banner every output made from sandbox data starts with. */
export const SANDBOX_BANNER = "SANDBOX DATA: simulated charges, not real ones";

/** The `--json` document of one report. */
export interface ReportJson {
  scope: string;
  scopeId: string;
  scopeName: string;
  period: ChargeReport["period"];
  sandbox: boolean;
  generatedAt: string;
  rowCount: number;
  totals: ChargeReport["totals"];
  reconciliation: ChargeReport["reconciliation"];
  /** Money totals per currency, only when the report was priced (`--rates`). */
  pricing?: ChargeReport["pricing"];
  files: WrittenFile[];
}

/** The `--json` form of a report and the files written from it. */
export function reportJson(report: ChargeReport, files: readonly WrittenFile[]): ReportJson {
  return {
    scope: report.scope,
    scopeId: report.scopeId,
    scopeName: report.scopeName,
    period: report.period,
    sandbox: report.sandbox,
    generatedAt: report.generatedAt,
    rowCount: report.rowCount,
    totals: report.totals,
    reconciliation: report.reconciliation,
    ...(report.pricing !== undefined ? { pricing: report.pricing } : {}),
    files: [...files],
  };
}

/**
 * One line on the reconciliation: `OK (42 checks)`, `OK (3 checks; some totals not
 * available, see below)`, the mismatches, or that nothing could be compared.
 */
export function reconciliationText(report: ChargeReport): string {
  const r = report.reconciliation;
  if (r.ok) {
    const checks = `${r.checked} ${r.checked === 1 ? "check" : "checks"}`;
    return r.unchecked !== undefined && r.unchecked.length > 0
      ? `OK (${checks}; some totals not available, see below)`
      : `OK (${checks})`;
  }
  if (r.mismatches.length > 0) {
    return `${r.mismatches.length} of ${r.checked} checks DISAGREE: ${describeMismatches(r)}`;
  }
  return `NOT RECONCILED: no total could be compared with the server's`;
}

/** One line per total that could not be compared (`reconciliation.unchecked`). */
export function uncheckedLines(report: ChargeReport, indent = "  "): string[] {
  const unchecked = report.reconciliation.unchecked;
  return unchecked === undefined ? [] : unchecked.map((u) => `${indent}not checked: ${u}`);
}

/** Human lines about one report and its files. */
export function reportLines(report: ChargeReport, files: readonly WrittenFile[]): string[] {
  const t = report.totals;
  const types = Object.entries(t.byChargeType).map(([k, v]) => `${k} ${v.coins}`).join(", ");
  const scope = report.scope === "all"
    ? "all organisations"
    : `${report.scope} "${report.scopeName}" (${report.scopeId})`;
  return [
    `${scope}, ${report.period.label}`,
    `  ${t.grand.items} items, ${t.grand.coins} coins (${types})`,
    `  reconciled with the server: ${reconciliationText(report)}`,
    ...uncheckedLines(report, "    "),
    ...(report.pricing !== undefined ? moneyLines(report.pricing) : []),
    ...files.map((f) => `  wrote ${f.path} (${f.bytes} bytes)`),
  ];
}

/** A plain-text table with left-aligned text and right-aligned numbers. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) =>
    rows.length > 0 && rows.every((r) => /^-?[\d.]+$/.test(r[i]))
  );
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
