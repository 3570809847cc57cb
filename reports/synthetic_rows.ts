/**
 * Deterministic synthetic charges for tests, demos and benchmarks: {@link syntheticChargeRows}
 * yields rows lazily (a million rows never sit in memory), {@link syntheticReport} wraps them
 * in a {@link ChargeReport} with exact totals, and {@link reportFromRows} does the same for
 * hand-written rows.
 *
 * The rows are deliberately awkward: non-ASCII names, commas, quotes, line breaks, names that
 * start with `=`, `+`, `-`, `@`, tab, carriage return or a full-width `＝`, negative coins
 * (refunds) and coins with 2 or 4 decimals.
 *
 * @module
 */

import type { ChargeReport, ChargeRow, Reconciliation, ReportPeriod, ScopeKind } from "./model.ts";
import { exactTotals, fastTotals } from "./synthetic_totals.ts";

/** Options of {@link syntheticChargeRows}. */
export interface SyntheticRowsOptions {
  /** Seed of the generator: the same seed and count give the same rows. @default 1 */
  seed?: number;
}

/** Options of {@link syntheticReport} and {@link reportFromRows}. */
export interface SyntheticReportOptions extends SyntheticRowsOptions {
  /** @default true: synthetic data is not real billing data */
  sandbox?: boolean;
  /** @default "all" */
  scope?: ScopeKind;
  /** @default "" */
  scopeId?: string;
  /** @default "all organisations" */
  scopeName?: string;
  /** @default prior billing period -1, 2026-10-03 to 2026-11-28 (units bill on the 3rd, 15th, 28th) */
  period?: ReportPeriod;
  /** @default "2026-11-28T06:00:00.000Z" (fixed, so outputs are reproducible) */
  generatedAt?: string;
  /** @default "https://sandbox.invalid/account-server-api" */
  sourceUrl?: string;
  /** @default all checks OK (one per unit and charge type) */
  reconciliation?: Reconciliation;
}

const ORGANISATIONS = [
  "Acme Research",
  "Café Müller, Ltd.",
  '=HYPERLINK("http://example.invalid","click")',
  "北京化学 Lab",
  'Quote "Q" Inc',
];
const UNITS = [
  "Chemistry",
  "+Plus, unit",
  "-minus unit",
  "@at unit",
  "\tTabbed",
  "\rCR unit",
  "Line\nBreak",
  "Ünïcödé 試験",
];
const PRODUCTS = ["DM Storage", "Project Tier", "\uFF1Dfull-width"];
const USERS = ["alice", "dörte", "=cmd|' /C calc'!A0", "bob"];
const JOBS = ["im-virtual-screening", "-rdkit, tools", "@squonk"];
const BILLING_DAYS = [3, 15, 28];
/** Units of 1/10,000 coin. */
const SCALE = 4;

/** The default period of synthetic reports: all units bill from October into November 2026. */
export const SYNTHETIC_PERIOD: ReportPeriod = {
  pbp: -1,
  from: "2026-10-03",
  until: "2026-11-28",
  label: "prior billing period -1: 2026-10-03 (incl.) to 2026-11-28 (excl.)",
};

/**
 * `count` deterministic charge rows. The result can be iterated any number of times; each
 * iteration generates the rows afresh from the seed, one at a time.
 */
export function syntheticChargeRows(
  count: number,
  options: SyntheticRowsOptions = {},
): Iterable<ChargeRow> {
  const seed = options.seed ?? 1;
  return {
    *[Symbol.iterator]() {
      for (const { row } of generate(count, seed)) yield row;
    },
  };
}

/** A report over `count` synthetic rows, with exact totals computed in one streaming pass. */
export function syntheticReport(count: number, options: SyntheticReportOptions = {}): ChargeReport {
  const seed = options.seed ?? 1;
  const totals = fastTotals(generate(count, seed), SCALE);
  return assemble(syntheticChargeRows(count, { seed }), count, totals, options);
}

/** A report over the given rows (e.g. hand-written edge cases), with exact totals. */
export function reportFromRows(
  rows: readonly ChargeRow[],
  options: SyntheticReportOptions = {},
): ChargeReport {
  return assemble(rows, rows.length, exactTotals(rows), options);
}

function assemble(
  rows: Iterable<ChargeRow>,
  rowCount: number,
  totals: ChargeReport["totals"],
  options: SyntheticReportOptions,
): ChargeReport {
  const units = Object.keys(totals.byUnit).length;
  return {
    scope: options.scope ?? "all",
    scopeId: options.scopeId ?? "",
    scopeName: options.scopeName ?? "all organisations",
    period: options.period ?? SYNTHETIC_PERIOD,
    generatedAt: options.generatedAt ?? "2026-11-28T06:00:00.000Z",
    sourceUrl: options.sourceUrl ?? "https://sandbox.invalid/account-server-api",
    sandbox: options.sandbox ?? true,
    rows,
    rowCount,
    totals,
    reconciliation: options.reconciliation ?? { ok: true, checked: units * 2, mismatches: [] },
  };
}

/** Rows with their coins as integer units of 10^-SCALE, for cheap exact totals. */
function* generate(count: number, seed: number): Generator<{ row: ChargeRow; units: number }> {
  const next = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const ids = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}-${hex(i)}`);
  const orgIds = ids("org", ORGANISATIONS.length);
  const unitIds = ids("unit", ORGANISATIONS.length * UNITS.length);
  const productIds = ids("product", unitIds.length * PRODUCTS.length);
  // Few distinct days occur: format each once (Date formatting dominated the generator).
  const days = new Map<number, string>();
  const isoDay = (year: number, monthIndex: number, day: number) => {
    const key = (year * 12 + monthIndex) * 64 + day;
    let text = days.get(key);
    if (text === undefined) days.set(key, text = formatDay(year, monthIndex, day));
    return text;
  };
  for (let i = 0; i < count; i++) {
    const o = Math.floor(next() * ORGANISATIONS.length);
    const u = o * UNITS.length + Math.floor(next() * UNITS.length);
    const p = u * PRODUCTS.length + Math.floor(next() * PRODUCTS.length);
    const billingDay = BILLING_DAYS[u % BILLING_DAYS.length];
    const periodFrom = isoDay(2026, 9, billingDay);
    // The first product of every unit is its storage subscription, the others project tiers.
    const storage = p % PRODUCTS.length === 0;
    const day = Math.floor(next() * 28);
    const date = isoDay(2026, 9, billingDay + day);
    const refund = next() < 0.03;
    const twoDecimals = next() < 0.5;
    const magnitude = twoDecimals
      ? Math.floor(next() * 50_000) * 100
      : Math.floor(next() * 5_000_000);
    const units = refund ? -magnitude : magnitude;
    const closed = next() < 0.9;
    const seconds = Math.floor(next() * 86_400);
    const stamp = `${date}T${clock(seconds)}.${String(i % 1000).padStart(3, "0")}Z`;
    yield {
      units,
      row: {
        organisationId: orgIds[o],
        organisationName: ORGANISATIONS[o],
        unitId: unitIds[u],
        unitName: UNITS[u % UNITS.length],
        billingDay,
        periodFrom,
        periodUntil: isoDay(2026, 10, billingDay),
        productId: productIds[p],
        productName: PRODUCTS[p % PRODUCTS.length],
        productType: storage
          ? "DATA_MANAGER_STORAGE_SUBSCRIPTION"
          : "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
        productFlavour: storage ? "" : ["BRONZE", "SILVER", "GOLD"][p % 3],
        chargeType: storage ? "STORAGE" : "PROCESSING",
        chargeId: i + 1,
        timestamp: storage ? date : stamp,
        username: storage ? "" : pick(USERS),
        merchant: storage ? "" : "Data Manager",
        jobCollection: storage ? "" : pick(JOBS),
        jobJob: storage ? "" : "run",
        jobVersion: storage ? "" : "1.0.0",
        closed: closed ? (storage ? date : stamp) : "",
        final: !storage && closed && next() < 0.8,
        coins: decimal(units, twoDecimals ? 2 : SCALE),
      },
    };
  }
}

/** `units / 10^SCALE` written with `digits` decimals (the dropped digits are zero). */
function decimal(units: number, digits: number): string {
  const sign = units < 0 ? "-" : "";
  const text = String(Math.abs(units)).padStart(SCALE + 1, "0");
  const int = text.slice(0, text.length - SCALE);
  return `${sign}${int}.${text.slice(text.length - SCALE, text.length - SCALE + digits)}`;
}

function formatDay(year: number, monthIndex: number, day: number): string {
  return new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10);
}

function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${
    pad(seconds % 60)
  }`;
}

function hex(n: number): string {
  return (0x1000 + n).toString(16);
}

/** A small, fast, seedable PRNG (Mulberry32): the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
