/**
 * The organisation file of a billing cycle, built from per-unit collections: each unit was
 * collected over its own `[from, until)` (explicit dates, never `pbp`), and this module joins
 * those reports into one organisation report. Totals are added exactly (never as floats) and
 * reconciliations are kept unit by unit, since each unit was reconciled against the AS's own
 * totals for its period.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import type {
  ChargeReport,
  ChargeRow,
  Reconciliation,
  ReportTotals,
  Total,
} from "../charges/model.ts";

/** What {@link mergeUnitReports} needs to know about the organisation and its cycle. */
export interface OrganisationCycleInfo {
  organisationId: string;
  organisationName: string;
  /** `YYYY-MM`: the month in which the units' periods start. */
  cycle: string;
  /** Earliest unit `from`, inclusive. */
  from: string;
  /** Latest unit `until`, exclusive. */
  until: string;
}

function addTotal(a: Total | undefined, b: Total): Total {
  if (!a) return { ...b };
  return { coins: Coins.parse(a.coins).plus(b.coins).toString(), items: a.items + b.items };
}

function mergeTotals(parts: readonly ReportTotals[]): ReportTotals {
  const out: ReportTotals = {
    grand: { coins: "0", items: 0 },
    byChargeType: {},
    byOrganisation: {},
    byUnit: {},
    byProduct: {},
  };
  for (const t of parts) {
    out.grand = addTotal(out.grand, t.grand);
    for (const [type, total] of Object.entries(t.byChargeType)) {
      out.byChargeType[type] = addTotal(out.byChargeType[type], total);
    }
    for (const [id, total] of Object.entries(t.byOrganisation)) {
      out.byOrganisation[id] = { ...addTotal(out.byOrganisation[id], total), name: total.name };
    }
    // Units and products belong to one unit report each: a plain union.
    Object.assign(out.byUnit, t.byUnit);
    Object.assign(out.byProduct, t.byProduct);
  }
  return out;
}

/** The units' reconciliations as one: reconciled only when every unit's is. */
function mergeReconciliations(parts: readonly Reconciliation[]): Reconciliation {
  const checked = parts.reduce((n, c) => n + c.checked, 0);
  const mismatches = parts.flatMap((c) => c.mismatches);
  const unchecked = parts.flatMap((c) => c.unchecked ?? []);
  return {
    ok: parts.length > 0 && parts.every((c) => c.ok) && checked > 0 && mismatches.length === 0,
    checked,
    mismatches,
    ...(unchecked.length > 0 ? { unchecked } : {}),
  };
}

function rowsOf(report: ChargeReport): ChargeRow[] {
  if (!Array.isArray(report.rows)) {
    throw new TypeError(
      `Report of unit "${report.scopeId}" has streamed rows: collect it with collectCharges, which returns an array`,
    );
  }
  return report.rows as ChargeRow[];
}

/** The month `YYYY-MM` in words, e.g. "October 2026". */
function monthWords(cycle: string): string {
  const d = new Date(`${cycle}-01T00:00:00Z`);
  return d.toLocaleString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
}

/**
 * Joins the unit reports of one organisation billing cycle into an organisation report.
 * Rows keep their unit's own period; the report's period is `[info.from, info.until)` and
 * its label names the cycle.
 */
export function mergeUnitReports(
  info: OrganisationCycleInfo,
  units: readonly ChargeReport[],
  options: { generatedAt?: string; sourceUrl?: string; sandbox?: boolean } = {},
): ChargeReport {
  const rows = units.flatMap(rowsOf);
  const checks = units.map((u) => u.reconciliation);
  const days = [...new Set(rows.map((r) => r.billingDay))].sort((a, b) => a - b);
  const dayText = days.length > 0 ? `; billing days ${days.join(", ")}` : "";
  return {
    scope: "organisation",
    scopeId: info.organisationId,
    scopeName: info.organisationName,
    period: {
      from: info.from,
      until: info.until,
      label: `billing cycle ${info.cycle} (each unit's period starting in ${
        monthWords(info.cycle)
      }, on its own billing day${dayText}): ${info.from} (incl.) to ${info.until} (excl.)`,
    },
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    sourceUrl: options.sourceUrl ?? units[0]?.sourceUrl ?? "",
    sandbox: options.sandbox ?? units.some((u) => u.sandbox),
    rows,
    rowCount: rows.length,
    totals: mergeTotals(units.map((u) => u.totals)),
    reconciliation: mergeReconciliations(checks),
  };
}
