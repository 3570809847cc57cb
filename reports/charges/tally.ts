/**
 * Exact running totals of charge rows ({@link ChargeTally}), fed as rows arrive (one
 * product's answer at a time, in any order) so that a report's totals and the computed side
 * of its reconciliation are ready when the last answer is in. Each row's coins are parsed
 * once and added once, to the group of rows sharing its product, unit and organisation;
 * the levels (product, unit, organisation, charge type, grand) are rolled up from those
 * groups at the end, in a few hundred exact additions instead of one per row and level.
 *
 * The results equal summing every row at every level (exact scaled integers, never
 * floats), including the order of the keys and which name a level takes: the name of its
 * first row, in the order the rows would be listed.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import type { ChargeRow } from "./model.ts";

const POWERS: bigint[] = [];

function pow10(n: number): bigint {
  return POWERS[n] ??= 10n ** BigInt(n);
}

/**
 * An exact running sum of coins and the number of items in it, added to in place (no new
 * object per addition): scaled units at the largest scale seen so far.
 */
export class CoinSum {
  #units = 0n;
  #scale = 0;
  /** Number of items added. */
  items: number = 0;

  /** Adds `coins` counted as `items` items (1 by default). */
  add(coins: Coins | CoinSum, items = 1): void {
    const units = coins instanceof CoinSum ? coins.#units : coins.units;
    const scale = coins instanceof CoinSum ? coins.#scale : coins.scale;
    if (scale > this.#scale) {
      this.#units *= pow10(scale - this.#scale);
      this.#scale = scale;
    }
    this.#units += scale === this.#scale ? units : units * pow10(this.#scale - scale);
    this.items += items;
  }

  /** The sum, at the largest scale of its terms (e.g. `"1.50"` + `"2"` is `"3.50"`). */
  get coins(): Coins {
    return new Coins(this.#units, this.#scale);
  }
}

/** Rows sharing a product, unit and organisation (ids and names), summed per charge type. */
export interface TallyGroup {
  /** Position of the group's first row in the listing order (smaller first). */
  order: readonly [number, number];
  /** Organisation id and name of the group's rows. */
  organisationId: string;
  /** Name of the organisation. */
  organisationName: string;
  /** Unit id of the group's rows. */
  unitId: string;
  /** Name of the unit. */
  unitName: string;
  /** Product id of the group's rows. */
  productId: string;
  /** Name of the product. */
  productName: string;
  /** Coins and items per charge type, in the order the types were first seen. */
  byType: Map<string, CoinSum>;
}

/** A level's computed total: its name, all its coins and items, and per charge type. */
export interface TallyTotal {
  /** The name of the level's first row. */
  name: string;
  /** Sum of every row's coins, and the number of rows. */
  sum: CoinSum;
  /** Coins and items per charge type. */
  byType: Map<string, CoinSum>;
}

function sameGroup(g: TallyGroup, row: ChargeRow): boolean {
  return g.productId === row.productId && g.unitId === row.unitId &&
    g.organisationId === row.organisationId && g.productName === row.productName &&
    g.unitName === row.unitName && g.organisationName === row.organisationName;
}

function groupKey(row: ChargeRow): string {
  return row.productId + "\u0000" + row.unitId + "\u0000" + row.organisationId + "\u0000" +
    row.productName + "\u0000" + row.unitName + "\u0000" + row.organisationName;
}

/** The levels a tally rolls up to. */
export type TallyLevel = "product" | "unit" | "organisation" | "all";

/** A level's id and name of a group. */
export const LEVEL_KEYS: Record<TallyLevel, (g: TallyGroup) => readonly [string, string]> = {
  product: (g) => [g.productId, g.productName],
  unit: (g) => [g.unitId, g.unitName],
  organisation: (g) => [g.organisationId, g.organisationName],
  all: () => ["", ""],
};

function compareOrder(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * Exact running totals of charge rows. Feed it with {@link ChargeTally.add}; read the
 * groups (in listing order) with {@link ChargeTally.groups} and roll them up with
 * {@link rollUp}. `computeTotals` and `reconcile` are built on it.
 *
 * @example
 * ```ts
 * import { ChargeTally, rollUp } from "./tally.ts";
 * import type { ChargeRow } from "./model.ts";
 *
 * declare const rowsOfProduct3: ChargeRow[]; // one product's rows, however they arrive
 * const tally = new ChargeTally();
 * tally.add(rowsOfProduct3, 3); // 3: the product's place in the report
 * const byUnit = rollUp(tally.groups(), (g) => [g.unitId, g.unitName]);
 * ```
 */
export class ChargeTally {
  #groups = new Map<string, TallyGroup>();
  #sorted: TallyGroup[] | undefined;
  #levels = new Map<TallyLevel, Map<string, TallyTotal>>();

  /**
   * Adds `rows` (e.g. one product's answer), all listed at place `order` of the report:
   * a group first seen here is ordered by `order`, then by the row's index in `rows`.
   *
   * @throws {UsageError} when a row's coins are not a plain decimal.
   */
  add(rows: Iterable<ChargeRow>, order: number): void {
    this.#sorted = undefined;
    this.#levels.clear();
    let index = 0;
    let last: TallyGroup | undefined;
    for (const row of rows) {
      // The rows of one answer share their ids and names: no key to build for them.
      let group = last !== undefined && sameGroup(last, row) ? last : undefined;
      const key = group === undefined ? groupKey(row) : "";
      group ??= this.#groups.get(key);
      if (group === undefined) {
        group = {
          order: [order, index],
          organisationId: row.organisationId,
          organisationName: row.organisationName,
          unitId: row.unitId,
          unitName: row.unitName,
          productId: row.productId,
          productName: row.productName,
          byType: new Map(),
        };
        this.#groups.set(key, group);
      }
      last = group;
      let sum = group.byType.get(row.chargeType);
      if (sum === undefined) group.byType.set(row.chargeType, sum = new CoinSum());
      sum.add(Coins.parse(row.coins));
      index++;
    }
  }

  /**
   * Every group rolled up to `level` ({@link rollUp} by the level's id and name; `all`
   * under the one key `""`), computed once until more rows are added.
   */
  level(level: TallyLevel): ReadonlyMap<string, TallyTotal> {
    let out = this.#levels.get(level);
    if (out === undefined) this.#levels.set(level, out = rollUp(this.groups(), LEVEL_KEYS[level]));
    return out;
  }

  /** The groups, in the order their first rows are listed. */
  groups(): readonly TallyGroup[] {
    this.#sorted ??= [...this.#groups.values()].sort((a, b) => compareOrder(a.order, b.order));
    return this.#sorted;
  }
}

/**
 * Sums `groups` (in listing order) per key: `key` gives a group's id and name, and each
 * id takes the name of its first group. Keys appear in the order of their first group.
 */
export function rollUp(
  groups: Iterable<TallyGroup>,
  key: (group: TallyGroup) => readonly [string, string],
): Map<string, TallyTotal> {
  const out = new Map<string, TallyTotal>();
  for (const g of groups) {
    const [id, name] = key(g);
    let total = out.get(id);
    if (total === undefined) {
      out.set(id, total = { name, sum: new CoinSum(), byType: new Map() });
    }
    for (const [type, sum] of g.byType) {
      total.sum.add(sum, sum.items);
      let t = total.byType.get(type);
      if (t === undefined) total.byType.set(type, t = new CoinSum());
      t.add(sum, sum.items);
    }
  }
  return out;
}
