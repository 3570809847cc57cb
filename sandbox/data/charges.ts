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

import { Coins } from "../../client/coins.ts";
import type { ProcessingCharges, StorageChargeItem } from "../../client/types.ts";
import {
  DAY_MS,
  formatDay,
  intersect,
  type Period,
  periodsOverlapping,
  startOfDay,
} from "../periods.ts";
import { randomFor } from "./prng.ts";
import type { MerchantRecord, ProductRecord } from "./records.ts";

/** Bytes in one storage unit (GiB). */
export const STORAGE_UNIT_BYTES = 1024 ** 3;
/** Coins per storage unit (or part of one) of a day's peak storage. */
export const STORAGE_UNIT_COST = "0.0525";

/** Everything besides the product that generation depends on. */
export interface GenerateOptions {
  /** The sandbox seed. */
  seed: number;
  /** The sandbox clock: nothing at or after it exists yet. */
  now: Date;
  /** Billing day of the product's unit (1..28). */
  billingDay: number;
  /** The dates asked for, `[from, until)`. */
  range: Period;
  /** Merchants that may have charged the product (non-empty). */
  merchants: readonly MerchantRecord[];
  /** Processing charges in one full billing period. */
  processingPerPeriod: number;
}

/** A product's charges within a range, with exact totals. */
export interface GeneratedCharges {
  processing: ProcessingCharges[];
  storage: StorageChargeItem[];
  processingCoins: Coins;
  storageCoins: Coins;
}

/** A closed processing charge becomes final this long after closing (sandbox choice). */
export const FINAL_AFTER_MS = 5 * DAY_MS;

/** Jobs the generated processing charges claim to come from. */
const JOBS = [
  { collection: "im-virtual-screening", job: "max-min-picker", version: "1.2.0" },
  { collection: "rdkit", job: "rdkit-conformer-generator", version: "1.0.3" },
  { collection: "fragmenstein", job: "fragmenstein-combine", version: "0.9.11" },
  { collection: "im-test", job: "nop", version: "1.0.0" },
  { collection: "xchem", job: "fragalysis-prep", version: "2.1.0" },
];

/** An ISO-8601 UTC timestamp without milliseconds, e.g. `2026-03-01T12:34:56Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** A decimal amount from ten-thousandths, rounded down to `scale` (2..4) decimals. */
function coinsFrom(tenThousandths: number, scale: number): Coins {
  const step = 10 ** (4 - scale);
  return new Coins(BigInt(Math.floor(tenThousandths / step)), scale);
}

/** Unique record number of the `index`-th processing charge of a period starting `from`. */
function chargeId(serial: number, from: Date, index: number): number {
  const month = (from.getUTCFullYear() - 1970) * 12 + from.getUTCMonth();
  return serial * 10_000_000 + month * 1000 + index;
}

/**
 * The processing charges of `product` in one billing `period`, before filtering by range:
 * `perPeriod` charges spread over the period, truncated at "now". The newest charge of the
 * current period is still open; charges closed within the last five days are not yet final.
 */
function periodProcessing(
  product: ProductRecord,
  period: Period,
  options: GenerateOptions,
): ProcessingCharges[] {
  const now = options.now.getTime();
  const rnd = randomFor(options.seed, [product.serial, "processing", period.from.getTime()]);
  const span = period.until.getTime() - period.from.getTime();
  const n = options.processingPerPeriod;
  const out: ProcessingCharges[] = [];
  for (let j = 0; j < n; j++) {
    const timestamp = period.from.getTime() + Math.floor(((j + rnd.next()) * span) / n);
    const merchant = rnd.pick(options.merchants);
    const job = rnd.pick(JOBS);
    const runMinutes = rnd.int(2, 240);
    const closeDelayMs = rnd.int(1, 30) * 60_000;
    const amount = coinsFrom(rnd.int(500, 600_000), rnd.int(2, 4));
    const sqn = rnd.int(1, 12);
    const username = rnd.pick(product.chargeUsers);
    const lateFlag = rnd.next() < 0.05;
    if (timestamp < product.chargesFrom.getTime() || timestamp >= now) continue;
    const closedAt = timestamp + closeDelayMs;
    const item: ProcessingCharges = {
      merchant_name: merchant.name,
      merchant_kind: merchant.kind,
      merchant_api_hostname: merchant.apiHostname,
      final: false,
      charge: {
        id: chargeId(product.serial, period.from, j),
        sqn,
        name: `${job.job} (${job.collection})`,
        username,
        timestamp: isoSeconds(timestamp),
        coins: amount.toString(),
        additional_data: {
          job_collection: job.collection,
          job_job: job.job,
          job_version: job.version,
          started: isoSeconds(timestamp - runMinutes * 60_000),
        },
      },
    };
    if (closedAt <= now) {
      item.closed = isoSeconds(closedAt);
      item.final = now - closedAt >= FINAL_AFTER_MS;
      if (item.final && lateFlag) item.post_final_charges = true;
    }
    out.push(item);
  }
  // The newest charge of the period holding "now" is the job still running.
  const last = out[out.length - 1];
  if (last && period.from.getTime() <= now && now < period.until.getTime()) {
    delete last.closed;
    delete last.post_final_charges;
    last.final = false;
  }
  return out;
}

/** The storage item of `product` for the UTC day starting at `day` (which is not after today). */
function storageItem(
  product: ProductRecord,
  day: Date,
  options: GenerateOptions,
): StorageChargeItem {
  const rnd = randomFor(options.seed, [product.serial, "storage", day.getTime()]);
  const peakBytes = Math.floor(product.baseBytes * (0.4 + 1.2 * rnd.next()));
  const cost = Coins.parse(STORAGE_UNIT_COST);
  const unitsOf = (bytes: number) => BigInt(Math.ceil(bytes / STORAGE_UNIT_BYTES));
  const firstDay = startOfDay(product.chargesFrom).getTime();
  const item: StorageChargeItem = {
    item_number: Math.round((day.getTime() - firstDay) / DAY_MS) + 1,
    date: formatDay(day),
    coins: new Coins(unitsOf(peakBytes) * cost.units, cost.scale).toString(),
    additional_data: { peak_bytes: peakBytes },
  };
  if (day.getTime() === startOfDay(options.now).getTime()) {
    // Today's item is open: no `closed`, and it carries the burn rate of current storage.
    const currentBytes = Math.floor(peakBytes * (0.5 + 0.5 * rnd.next()));
    item.current_burn_rate = new Coins(unitsOf(currentBytes) * cost.units, cost.scale).toString();
    item.additional_data = { peak_bytes: peakBytes, current_bytes: currentBytes };
  } else {
    item.closed = isoSeconds(day.getTime() + DAY_MS + rnd.int(60, 900) * 1000);
  }
  return item;
}

/**
 * The charges of `product` within `options.range` (processing charges by `timestamp`,
 * storage items by `date`), as far as they exist at `options.now`, oldest first.
 */
export function generateProductCharges(
  product: ProductRecord,
  options: GenerateOptions,
): GeneratedCharges {
  const result: GeneratedCharges = {
    processing: [],
    storage: [],
    processingCoins: Coins.zero(),
    storageCoins: Coins.zero(),
  };
  if (!product.hasDemoCharges) return result;
  const alive = { from: product.chargesFrom, until: options.now };
  const range = intersect(options.range, alive);
  const isProjectTier = product.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION";
  if (range && isProjectTier && options.processingPerPeriod > 0) {
    for (const period of periodsOverlapping(options.billingDay, range)) {
      for (const item of periodProcessing(product, period, options)) {
        const t = Date.parse(item.charge.timestamp);
        if (t < options.range.from.getTime() || t >= options.range.until.getTime()) continue;
        result.processing.push(item);
        result.processingCoins = result.processingCoins.plus(item.charge.coins);
      }
    }
  }
  // Storage items are whole days: a day counts when its 00:00 UTC lies in the range.
  const firstDay = Math.max(
    startOfDay(product.chargesFrom).getTime(),
    Math.ceil(options.range.from.getTime() / DAY_MS) * DAY_MS,
  );
  const endDay = Math.min(options.range.until.getTime(), startOfDay(options.now).getTime() + 1);
  for (let day = firstDay; day < endDay; day += DAY_MS) {
    const item = storageItem(product, new Date(day), options);
    result.storage.push(item);
    result.storageCoins = result.storageCoins.plus(item.coins);
  }
  return result;
}
