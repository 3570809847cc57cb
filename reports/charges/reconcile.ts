/**
 * Reconciliation: comparing the totals computed from the detail rows with the totals the
 * Account Server reports itself (product `coins`, the unit summary, the organisation's
 * `unit_charges`, and the admin-only `GET /charges`). Amounts are compared exactly, so
 * `"1.50"` equals `"1.5"` but `"1.50"` does not equal `"1.51"`.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import type { ChargeSummary } from "../../client/types.ts";
import type { ChargeRow, Reconciliation, ReconciliationCheck } from "./model.ts";
import { CHARGE_TYPES } from "./totals.ts";
import {
  ChargeTally,
  LEVEL_KEYS,
  rollUp,
  type TallyGroup,
  type TallyLevel,
  type TallyTotal,
} from "./tally.ts";

/**
 * Per-charge-type coins as the server reported them. A summary lists the charge types that
 * have charges; a type it does not list is compared as zero (the sandbox and the AS UI both
 * omit a type without charges).
 */
export type TypeCoins = Partial<Record<string, string>>;

/** One entity's totals as the server reported them. */
export interface ServerEntityTotal {
  /** The entity's name, for the `where` of a check. */
  name: string;
  /** Per charge type, when the server gives a breakdown. */
  byType?: TypeCoins;
  /** The overall total, when the server gives one. */
  coins?: string;
}

/**
 * The server's own totals, gathered during collection. Each level present is compared
 * over the union of its ids and the ids in the rows (an id missing on one side counts as
 * zero there).
 */
export interface ServerTotals {
  /** By product id: product charges `coins`, and per type from the unit summary. */
  products?: Map<string, ServerEntityTotal>;
  /** By unit id: the unit summary, or the organisation's `unit_charges`. */
  units?: Map<string, ServerEntityTotal>;
  /** By organisation id: organisation charges, or `GET /charges` `organisation_charges`. */
  organisations?: Map<string, ServerEntityTotal>;
  /** The grand total of the scope, when the server gives one. */
  grand?: ServerEntityTotal;
  /**
   * Organisations whose summaries could not be read (e.g. the Default organisation): their
   * rows are left out of the unit and organisation comparisons.
   */
  skipOrganisations?: Set<string>;
  /** What could not be compared and why, stated in the reconciliation (`unchecked`). */
  unchecked?: string[];
}

/** Turns a `ChargeSummary[]` into per-type coins (a type listed twice is added up). */
export function summaryCoins(summary: readonly ChargeSummary[]): TypeCoins {
  const out: TypeCoins = {};
  for (const s of summary) {
    out[s.type] = out[s.type] === undefined
      ? s.coins
      : Coins.parse(out[s.type]!).plus(s.coins).toString();
  }
  return out;
}

interface Computed {
  name: string;
  total: Coins;
  byType: Map<string, Coins>;
}

function computed(totals: ReadonlyMap<string, TallyTotal>): Map<string, Computed> {
  const out = new Map<string, Computed>();
  for (const [id, t] of totals) {
    out.set(id, {
      name: t.name,
      total: t.sum.coins,
      byType: new Map([...t.byType].map(([type, sum]) => [type, sum.coins])),
    });
  }
  return out;
}

/**
 * Compares the rows' exact totals with `server` at every level it provides.
 *
 * @example Check a report's rows against per-product totals from elsewhere
 * ```ts
 * import { type ChargeRow, reconcile, reconciliationProblem } from "@squonk2/billing/reports";
 *
 * declare const rows: ChargeRow[]; // e.g. the rows of a collected report
 * const rec = reconcile(rows, {
 *   products: new Map([["product-1", { name: "Chemistry storage", coins: "3.5" }]]),
 * });
 * if (!rec.ok) console.warn(reconciliationProblem(rec));
 * ```
 */
export function reconcile(rows: readonly ChargeRow[], server: ServerTotals): Reconciliation {
  const tally = new ChargeTally();
  rows.forEach((row, index) => tally.add([row], index));
  return reconcileTally(tally, server);
}

/**
 * {@link reconcile} for the rows fed to `tally` (the same result for the same rows): a
 * collection adds each product's rows as its answer arrives, and compares once the server's
 * totals are in.
 */
export function reconcileTally(tally: ChargeTally, server: ServerTotals): Reconciliation {
  const checks: ReconciliationCheck[] = [];
  const skip = server.skipOrganisations ?? new Set<string>();
  const groups = tally.groups();
  const compare = (where: string, computed: Coins, reported: string | undefined) => {
    // `undefined`: a charge type the server's summary does not list, i.e. none of it.
    const value = reported ?? "0";
    checks.push({
      where,
      computed: computed.toString(),
      server: value,
      ok: computed.equals(value),
    });
  };
  const level = (
    kind: string,
    reported: Map<string, ServerEntityTotal> | undefined,
    computed: Map<string, Computed>,
  ) => {
    if (!reported) return;
    const ids = new Set([...reported.keys(), ...computed.keys()]);
    for (const id of [...ids].sort()) {
      const r = reported.get(id);
      const c = computed.get(id) ?? { name: r?.name ?? "", total: Coins.zero(), byType: new Map() };
      entity(
        `${kind} ${id} (${r?.name ?? c.name})`,
        c,
        r ?? { name: c.name, coins: "0", byType: {} },
      );
    }
  };
  const entity = (where: string, c: Computed, r: ServerEntityTotal) => {
    if (r.byType) {
      const types = new Set([...CHARGE_TYPES, ...Object.keys(r.byType), ...c.byType.keys()]);
      for (const t of types) compare(`${where} ${t}`, c.byType.get(t) ?? Coins.zero(), r.byType[t]);
    }
    if (r.coins !== undefined) compare(`${where} total`, c.total, r.coins);
  };
  // Without organisations to leave out (the usual case) every level is the tally's own.
  const by = (lv: TallyLevel, from: readonly TallyGroup[]) =>
    computed(from === groups ? tally.level(lv) : rollUp(from, LEVEL_KEYS[lv]));
  const kept = skip.size === 0 ? groups : groups.filter((g) => !skip.has(g.organisationId));
  level("product", server.products, by("product", groups));
  level("unit", server.units, by("unit", kept));
  level("organisation", server.organisations, by("organisation", kept));
  if (server.grand) {
    const all = by("all", groups).get("") ??
      { name: "", total: Coins.zero(), byType: new Map() };
    entity("grand total", all, server.grand);
  }
  const mismatches = checks.filter((c) => !c.ok);
  const unchecked = server.unchecked === undefined ? [] : [...server.unchecked];
  return {
    // Nothing compared is not reconciled: no total of the server confirms these numbers.
    ok: mismatches.length === 0 && checks.length > 0,
    checked: checks.length,
    mismatches,
    ...(unchecked.length > 0 ? { unchecked } : {}),
  };
}

/**
 * Why a report is not reconciled, in one line (for errors, warnings and the files), or
 * `undefined` when it is: the mismatches, or that nothing could be compared and why.
 *
 * @example
 * ```ts
 * import { reconciliationProblem } from "@squonk2/billing/reports";
 *
 * reconciliationProblem({ ok: true, checked: 12, mismatches: [] }); // undefined
 * reconciliationProblem({
 *   ok: false,
 *   checked: 12,
 *   mismatches: [{ where: "product product-1 (A) total", computed: "1.5", server: "2", ok: false }],
 * });
 * // "1 of 12 checks disagree with the server's totals: product product-1 (A) total: computed 1.5, server 2"
 * ```
 */
export function reconciliationProblem(reconciliation: Reconciliation): string | undefined {
  if (reconciliation.ok) return undefined;
  const { mismatches, checked } = reconciliation;
  if (mismatches.length > 0) {
    return `${mismatches.length} of ${checked} checks disagree with the server's totals: ${
      describeMismatches(reconciliation)
    }`;
  }
  const why = reconciliation.unchecked;
  return `no total could be compared with the server's (${
    why !== undefined && why.length > 0
      ? why.join("; ")
      : "the server gave no totals for this scope: does the account used see any product in it?"
  })`;
}

/**
 * A one-line account of the mismatches (the first `max`, then how many more), for warnings
 * and errors; empty when there are none. {@link reconciliationProblem} also covers a report
 * for which nothing could be compared.
 */
export function describeMismatches(reconciliation: Reconciliation, max = 5): string {
  const shown = reconciliation.mismatches.slice(0, max)
    .map((m) => `${m.where}: computed ${m.computed}, server ${m.server}`);
  const more = reconciliation.mismatches.length - shown.length;
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}
