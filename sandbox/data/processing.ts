/**
 * Generated processing charges (jobs run by merchants): per product and billing period a
 * fixed number of charges spread over the period, drawn from a stream seeded by the
 * sandbox seed, the product serial and the period start.
 *
 * @module
 */

import type { ProcessingCharges } from "../../client/types.ts";
import { DAY_MS, type Period } from "../periods.ts";
import { coinText, isoSeconds } from "./charge_format.ts";
import type { GenerateOptions } from "./generate_options.ts";
import { randomFor } from "./prng.ts";
import type { MerchantRecord, ProductRecord } from "./records.ts";

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

/** Unique record number of the `index`-th processing charge of a period starting `from`. */
function chargeId(serial: number, from: Date, index: number): number {
  const month = (from.getUTCFullYear() - 1970) * 12 + from.getUTCMonth();
  return serial * 10_000_000 + month * 1000 + index;
}

/** A processing charge as numbers; turned into the AS shape only when items are wanted. */
export interface ProcessingDraft {
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
export function periodProcessing(
  product: ProductRecord,
  options: GenerateOptions & { period: Period },
): ProcessingDraft[] {
  const period = options.period;
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
export function processingItem(
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
