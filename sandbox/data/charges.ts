/**
 * Charge items generated on demand. Nothing is stored: a product's processing charges for
 * one billing period, and its storage item for one day, are a pure function of the sandbox
 * seed, the product's serial number and the period or day. Only "now" decides how much of
 * the current period exists and which charges are still open, so large sandboxes stay cheap
 * in memory and every request sees the same history.
 *
 * Choices (the reference is silent):
 * - project-tier products get processing charges (jobs) and daily storage items; storage
 *   subscriptions get daily storage items only;
 * - a processing charge belongs to the period that contains its `timestamp`, a storage item
 *   to the period that contains its `date`;
 * - storage items are numbered from 1 on the product's first charged day, so numbers stay
 *   unique per product across periods.
 *
 * @module
 */

import type { ProcessingCharges, StorageChargeItem } from "../../client/types.ts";
import { DAY_MS, formatDay, intersect, periodsOverlapping, startOfDay } from "../periods.ts";
import { coinText, isoSeconds } from "./charge_format.ts";
import { hashSeed, randomFor } from "./prng.ts";
import { parseTenK } from "./ten_k.ts";
import { periodProcessing, processingItem } from "./processing.ts";
import type { GenerateOptions } from "./generate_options.ts";
import type { ProductRecord } from "./records.ts";

/** Bytes in one storage unit (GiB). */
export const STORAGE_UNIT_BYTES = 1024 ** 3;
/** Coins per storage unit (or part of one) of a day's peak storage. */
export const STORAGE_UNIT_COST = "0.0525";

/** A product's charges within a range, with exact totals in ten-thousandths of a coin. */
export interface GeneratedCharges {
  /** The processing charges (empty with `totalsOnly`). */
  processing: ProcessingCharges[];
  /** The storage items (empty with `totalsOnly`). */
  storage: StorageChargeItem[];
  /** The number of processing charges (counted with `totalsOnly` too). */
  processingCount: number;
  /** The number of storage items (counted with `totalsOnly` too). */
  storageCount: number;
  /** Sum of the processing charges' coins, in ten-thousandths. */
  processingTenK: bigint;
  /** Sum of the storage items' coins, in ten-thousandths. */
  storageTenK: bigint;
}

/** Coins per storage unit in ten-thousandths of a coin (all generated amounts are exact in them). */
const STORAGE_COST_TEN_K = Number(parseTenK(STORAGE_UNIT_COST));

/** Tag of the storage streams in {@link hashSeed} (numbers hash faster than strings). */
const STORAGE_TAG = 2;

/**
 * Peak bytes and coins (ten-thousandths) of `product` on the day starting at `dayMs`: one
 * hash, no generator, because totals of large sandboxes add up many thousands of days.
 */
function storageDay(product: ProductRecord, dayMs: number, seed: number) {
  const draw = hashSeed(seed, [product.serial, STORAGE_TAG, dayMs]) / 4294967296;
  const peakBytes = Math.floor(product.baseBytes * (0.4 + 1.2 * draw));
  return { peakBytes, tenK: Math.ceil(peakBytes / STORAGE_UNIT_BYTES) * STORAGE_COST_TEN_K };
}

/** The AS shape of the storage item of `product` for the day starting at `dayMs`. */
function storageItem(
  product: ProductRecord,
  dayMs: number,
  options: GenerateOptions,
): { item: StorageChargeItem; tenK: number } {
  const { peakBytes, tenK } = storageDay(product, dayMs, options.seed);
  const rnd = randomFor(options.seed, [product.serial, STORAGE_TAG + 1, dayMs]);
  const firstDay = startOfDay(product.chargesFrom).getTime();
  const item: StorageChargeItem = {
    item_number: Math.round((dayMs - firstDay) / DAY_MS) + 1,
    date: formatDay(new Date(dayMs)),
    coins: coinText(tenK, 4),
    additional_data: { peak_bytes: peakBytes },
  };
  if (dayMs === startOfDay(options.now).getTime()) {
    // Today's item is open: no `closed`, and it carries the burn rate of current storage.
    const currentBytes = Math.floor(peakBytes * (0.5 + 0.5 * rnd.next()));
    item.current_burn_rate = coinText(
      Math.ceil(currentBytes / STORAGE_UNIT_BYTES) * STORAGE_COST_TEN_K,
      4,
    );
    item.additional_data = { peak_bytes: peakBytes, current_bytes: currentBytes };
  } else {
    item.closed = isoSeconds(dayMs + DAY_MS + rnd.int(60, 900) * 1000);
  }
  return { item, tenK };
}

/**
 * The charges of `product` within `options.range` (processing charges by `timestamp`,
 * storage items by `date`), as far as they exist at `options.now`, oldest first. With
 * `totalsOnly` the item lists stay empty and only counts and totals are computed (fast
 * path for unit, organisation and all-charges summaries).
 */
export function generateProductCharges(
  product: ProductRecord,
  options: GenerateOptions,
): GeneratedCharges {
  const result: GeneratedCharges = {
    processing: [],
    storage: [],
    processingCount: 0,
    storageCount: 0,
    processingTenK: 0n,
    storageTenK: 0n,
  };
  if (!product.hasDemoCharges) return result;
  const from = options.range.from.getTime();
  const until = options.range.until.getTime();
  const now = options.now.getTime();
  const alive = { from: product.chargesFrom, until: options.now };
  const range = intersect(options.range, alive);
  const isProjectTier = product.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION";
  // Sums in ten-thousandths stay exact as JavaScript integers (far below 2^53).
  let processingTenK = 0;
  if (range && isProjectTier && options.processingPerPeriod > 0) {
    for (const period of periodsOverlapping(options.billingDay, range)) {
      for (const d of periodProcessing(product, { ...options, period })) {
        if (d.timestamp < from || d.timestamp >= until) continue;
        processingTenK += d.tenK;
        result.processingCount++;
        if (!options.totalsOnly) {
          result.processing.push(processingItem(d, { product, period, now }));
        }
      }
    }
  }
  // Storage items are whole days: a day counts when its 00:00 UTC lies in the range.
  let storageTenK = 0;
  const firstDay = Math.max(
    startOfDay(product.chargesFrom).getTime(),
    Math.ceil(from / DAY_MS) * DAY_MS,
  );
  const endDay = Math.min(until, startOfDay(options.now).getTime() + 1);
  for (let day = firstDay; day < endDay; day += DAY_MS) {
    if (options.totalsOnly) storageTenK += storageDay(product, day, options.seed).tenK;
    else {
      const { item, tenK } = storageItem(product, day, options);
      storageTenK += tenK;
      result.storage.push(item);
    }
    result.storageCount++;
  }
  result.processingTenK = BigInt(processingTenK);
  result.storageTenK = BigInt(storageTenK);
  return result;
}
