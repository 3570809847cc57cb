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
import { hashSeed, randomFor } from "./prng.ts";
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
  /** Only count and total the items (the item lists stay empty). */
  totalsOnly?: boolean;
}

/** A product's charges within a range, with exact totals (four decimal places). */
export interface GeneratedCharges {
  /** The processing charges (empty with `totalsOnly`). */
  processing: ProcessingCharges[];
  /** The storage items (empty with `totalsOnly`). */
  storage: StorageChargeItem[];
  processingCount: number;
  storageCount: number;
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

/** Coins per storage unit in ten-thousandths of a coin (all generated amounts are exact in them). */
const STORAGE_COST_TEN_K = Number(Coins.parse(STORAGE_UNIT_COST).withScale(4).units);

/** Ten-thousandths of a coin as a decimal string with `scale` (2..4) places. */
function coinText(tenK: number, scale: number): string {
  return new Coins(BigInt(tenK / 10 ** (4 - scale)), scale).toString();
}

/** Unique record number of the `index`-th processing charge of a period starting `from`. */
function chargeId(serial: number, from: Date, index: number): number {
  const month = (from.getUTCFullYear() - 1970) * 12 + from.getUTCMonth();
  return serial * 10_000_000 + month * 1000 + index;
}

/** A processing charge as numbers; turned into the AS shape only when items are wanted. */
interface ProcessingDraft {
  index: number;
  timestamp: number;
  merchant: MerchantRecord;
  job: (typeof JOBS)[number];
  runMinutes: number;
  closedAt: number;
  /** Coins in ten-thousandths, already rounded to `scale` places. */
  tenK: number;
  scale: number;
  sqn: number;
  username: string;
  late: boolean;
  open: boolean;
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
): ProcessingDraft[] {
  const now = options.now.getTime();
  const rnd = randomFor(options.seed, [product.serial, "processing", period.from.getTime()]);
  const span = period.until.getTime() - period.from.getTime();
  const n = options.processingPerPeriod;
  const out: ProcessingDraft[] = [];
  for (let j = 0; j < n; j++) {
    const timestamp = period.from.getTime() + Math.floor(((j + rnd.next()) * span) / n);
    const merchant = rnd.pick(options.merchants);
    const job = rnd.pick(JOBS);
    const runMinutes = rnd.int(2, 240);
    const closeDelayMs = rnd.int(1, 30) * 60_000;
    const raw = rnd.int(500, 600_000);
    const scale = rnd.int(2, 4);
    const step = 10 ** (4 - scale);
    const sqn = rnd.int(1, 12);
    const username = rnd.pick(product.chargeUsers);
    const late = rnd.next() < 0.05;
    if (timestamp < product.chargesFrom.getTime() || timestamp >= now) continue;
    const closedAt = timestamp + closeDelayMs;
    const tenK = Math.floor(raw / step) * step;
    out.push({
      index: j,
      timestamp,
      merchant,
      job,
      runMinutes,
      closedAt,
      tenK,
      scale,
      sqn,
      username,
      late,
      open: closedAt > now,
    });
  }
  // The newest charge of the period holding "now" is the job still running.
  const last = out[out.length - 1];
  if (last && period.from.getTime() <= now && now < period.until.getTime()) last.open = true;
  return out;
}

/** The AS shape of a processing draft. */
function processingItem(
  d: ProcessingDraft,
  ctx: { product: ProductRecord; period: Period; now: number },
): ProcessingCharges {
  const item: ProcessingCharges = {
    merchant_name: d.merchant.name,
    merchant_kind: d.merchant.kind,
    merchant_api_hostname: d.merchant.apiHostname,
    final: false,
    charge: {
      id: chargeId(ctx.product.serial, ctx.period.from, d.index),
      sqn: d.sqn,
      name: `${d.job.job} (${d.job.collection})`,
      username: d.username,
      timestamp: isoSeconds(d.timestamp),
      coins: coinText(d.tenK, d.scale),
      additional_data: {
        job_collection: d.job.collection,
        job_job: d.job.job,
        job_version: d.job.version,
        started: isoSeconds(d.timestamp - d.runMinutes * 60_000),
      },
    },
  };
  if (!d.open) {
    item.closed = isoSeconds(d.closedAt);
    item.final = ctx.now - d.closedAt >= FINAL_AFTER_MS;
    if (item.final && d.late) item.post_final_charges = true;
  }
  return item;
}

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
    processingCoins: Coins.zero(),
    storageCoins: Coins.zero(),
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
      for (const d of periodProcessing(product, period, options)) {
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
  result.processingCoins = new Coins(BigInt(processingTenK), 4);
  result.storageCoins = new Coins(BigInt(storageTenK), 4);
  return result;
}
