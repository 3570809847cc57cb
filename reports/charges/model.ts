/**
 * The data model shared by charge collection, the CSV/XLSX writers, the report store and
 * the report server: one {@link ChargeRow} per charge item, and a {@link ChargeReport}
 * that carries the rows with their scope, period, totals and reconciliation.
 *
 * @module
 */

import type { ChargeType } from "../../client/types.ts";
import type { ReportPricing } from "../pricing/types.ts";
import type { ChangeTable } from "./change_types.ts";

/** What an export covers. */
export type ScopeKind = "organisation" | "unit" | "product" | "all";

/** One charge item (a processing charge or a daily storage item), flattened for finance. */
export interface ChargeRow {
  /** Id of the unit's organisation (`org-<uuid>`). */
  organisationId: string;
  /** Name of the unit's organisation. */
  organisationName: string;
  /** Id of the product's unit (`unit-<uuid>`). */
  unitId: string;
  /** Name of the product's unit. */
  unitName: string;
  /** The unit's billing day, 1..28. */
  billingDay: number;
  /** The billing period of the row's unit: `YYYY-MM-DD`, inclusive. */
  periodFrom: string;
  /** First day after the period: `YYYY-MM-DD`, exclusive. */
  periodUntil: string;
  /** Id of the product charged (`product-<uuid>`). */
  productId: string;
  /** Name of the product; its id when it has none. */
  productName: string;
  /** Product type as the server sent it, e.g. `DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION`. */
  productType: string;
  /** Empty for products without a flavour. */
  productFlavour: string;
  /** `PROCESSING` (a processing charge) or `STORAGE` (a daily storage item). */
  chargeType: ChargeType;
  /** Processing charge record id, or storage item number. */
  chargeId: number;
  /** ISO 8601 UTC timestamp (processing) or `YYYY-MM-DD` date (storage), as the server sent it. */
  timestamp: string;
  /** Processing only; empty for storage. */
  username: string;
  /** Processing only; empty for storage. */
  merchant: string;
  /** `additional_data.job_collection` where present, else empty. */
  jobCollection: string;
  /** `additional_data.job_job` where present, else empty. */
  jobJob: string;
  /** `additional_data.job_version` where present, else empty. */
  jobVersion: string;
  /** When the charge closed, as the server sent it; empty when open. */
  closed: string;
  /** Processing `final` flag; `false` for storage items. */
  final: boolean;
  /** Exact decimal string, as the server sent it. */
  coins: string;
  /** Priced reports only: the price of one coin (a decimal string), empty when unpriced. */
  pricePerCoin?: string;
  /** Priced reports only: coins × price, rounded half-to-even to the currency's minor unit. */
  amount?: string;
  /** Priced reports only: ISO 4217 code of `amount`, empty when unpriced. */
  currency?: string;
}

/** Column order and headers of the detail table, shared by CSV and XLSX. */
export const CHARGE_COLUMNS: readonly {
  /** The row field of the column. */
  key: keyof ChargeRow;
  /** The column's header in CSV and XLSX files. */
  header: string;
}[] = [
  { key: "organisationId", header: "organisation_id" },
  { key: "organisationName", header: "organisation_name" },
  { key: "unitId", header: "unit_id" },
  { key: "unitName", header: "unit_name" },
  { key: "billingDay", header: "billing_day" },
  { key: "periodFrom", header: "period_from" },
  { key: "periodUntil", header: "period_until_exclusive" },
  { key: "productId", header: "product_id" },
  { key: "productName", header: "product_name" },
  { key: "productType", header: "product_type" },
  { key: "productFlavour", header: "product_flavour" },
  { key: "chargeType", header: "charge_type" },
  { key: "chargeId", header: "charge_id" },
  { key: "timestamp", header: "timestamp_utc" },
  { key: "username", header: "username" },
  { key: "merchant", header: "merchant" },
  { key: "jobCollection", header: "job_collection" },
  { key: "jobJob", header: "job_job" },
  { key: "jobVersion", header: "job_version" },
  { key: "closed", header: "closed_utc" },
  { key: "final", header: "final" },
  { key: "coins", header: "coins" },
];

/** The period an export covers, stated in words and dates. */
export interface ReportPeriod {
  /** `pbp` used for the request, when the export was by prior billing period. */
  pbp?: number;
  /**
   * Earliest `from` over the rows' unit periods, `YYYY-MM-DD` inclusive. With `pbp`, units
   * on different billing days have different periods; each row states its own.
   */
  from: string;
  /** Latest `until`, `YYYY-MM-DD` exclusive. */
  until: string;
  /** In words, e.g. "prior billing period -1: 2026-10-03 (incl.) to 2026-11-03 (excl.)". */
  label: string;
  /**
   * The calendar month, `YYYY-MM`, when the export was by calendar month (`from` is its
   * first day, `until` the first day of the next month).
   */
  month?: string;
  /**
   * True when the period was not over when the report was made (the current billing
   * period, or a month or range whose `until` is after that day): its totals may still
   * grow, and it is shown "so far".
   */
  open?: boolean;
}

/** A total of coins, as an exact decimal string, with the number of items behind it. */
export interface Total {
  /** Sum of the items' coins, an exact decimal string (e.g. `"12.345"`, `"0"`). */
  coins: string;
  /** Number of charge items summed. */
  items: number;
}

/** Totals by organisation, unit, product and charge type, and the grand total. */
export interface ReportTotals {
  /** Every row of the report. */
  grand: Total;
  /** By charge type (`PROCESSING`, `STORAGE`); every type is present, `"0"` when empty. */
  byChargeType: Record<string, Total>;
  /** By organisation id, with the organisation's name. */
  byOrganisation: Record<string, Total & { name: string }>;
  /** By unit id, with the unit's name and its organisation's id. */
  byUnit: Record<string, Total & { name: string; organisationId: string }>;
  /** By product id, with the product's name and its unit's id. */
  byProduct: Record<string, Total & { name: string; unitId: string }>;
}

/** One comparison of a computed total with the server's own. */
export interface ReconciliationCheck {
  /** Where, e.g. "unit unit-… (Chemistry) PROCESSING". */
  where: string;
  /** The total computed from the rows, an exact decimal string. */
  computed: string;
  /** The server's total (`"0"` for a charge type its summary does not list). */
  server: string;
  /** True when the two are equal as exact decimals (`"1.50"` equals `"1.5"`). */
  ok: boolean;
}

/**
 * The result of reconciling computed totals with the server's totals.
 *
 * A report is reconciled (`ok`) when at least one total was compared and every comparison
 * agreed. A report with no comparison at all (`checked` 0: nothing in scope had totals the
 * server would give) is not `ok` even without mismatches: nothing confirms its numbers.
 * Writers, the charges script, the scheduled job and the report server treat a report that
 * is not `ok` as unreconciled (refused by default; stated inside the file when allowed).
 */
export interface Reconciliation {
  /** True when `checked` > 0 and there are no mismatches. */
  ok: boolean;
  /** Number of comparisons made. */
  checked: number;
  /** The comparisons that disagreed. */
  mismatches: ReconciliationCheck[];
  /**
   * Totals the server would not give, so nothing was compared there, e.g.
   * `organisation org-… ("Default"): totals not available to this account (HTTP 403)`.
   * Absent or empty when every level asked for could be read. With `checked` > 0 the report
   * is still `ok` (partly reconciled) and says which levels were not checked.
   */
  unchecked?: string[];
}

/** Everything a writer needs to produce one charges file. */
export interface ChargeReport {
  /** What the report covers. */
  scope: ScopeKind;
  /** Id of the organisation, unit or product; empty for `all`. */
  scopeId: string;
  /** Its name; "all organisations" for `all`. */
  scopeName: string;
  /** The period, in words and dates. */
  period: ReportPeriod;
  /** When the report was collected, ISO 8601 UTC. */
  generatedAt: string;
  /** The AS base URL the data came from. */
  sourceUrl: string;
  /** True when the data came from the sandbox: every output then says SANDBOX DATA. */
  sandbox: boolean;
  /**
   * The detail rows. Collection yields an array (with its `spool` option, rows read back
   * from a temporary file on each iteration instead); writers accept any iterable so that
   * very large exports can be streamed without holding every row in memory.
   */
  rows: Iterable<ChargeRow> | AsyncIterable<ChargeRow>;
  /** Number of rows in `rows`. */
  rowCount: number;
  /** Exact totals of the rows, by level and grand. */
  totals: ReportTotals;
  /** How the totals compared with the server's own; check `ok` before trusting the numbers. */
  reconciliation: Reconciliation;
  /** Money totals, when the report was priced with a rates file (see reports/pricing). */
  pricing?: ReportPricing;
  /**
   * This period against the previous one, per unit and product (the XLSX "Change" sheet),
   * when it was asked for (see reports/charges/change.ts).
   */
  change?: ChangeTable;
}
