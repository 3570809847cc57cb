/**
 * Product records turned into `ProductDmStorage` / `ProductDmProjectTier` (reference §3.5),
 * with the `coins` and `storage` blocks computed from the current period's charges.
 *
 * Sandbox choices where the reference is vague: `used` sums the period's items before today;
 * `billing_prediction` = all items so far + today's burn rate x (remaining days - 1), without
 * any allowance adjustment (the real formula is unknown); `at_limit` is `used >= limit`;
 * multipliers are fixed at 1 (within allowance) and 2 (beyond it).
 *
 * @module
 */

import type { AnyProduct, ProductCoinsDetail, ProductDmStorageDetail } from "../../client/types.ts";
import { STORAGE_UNIT_BYTES, STORAGE_UNIT_COST } from "../data/charges.ts";
import { parseTenK, TEN_K_PER_COIN, tenKToNumber } from "../data/ten_k.ts";
import { billingPeriod, DAY_MS, formatDay, startOfDay } from "../periods.ts";
import type { ProductRecord } from "../state.ts";
import type { Access } from "./access.ts";
import { orgAllDetail, unitAllDetail } from "./views.ts";

/** Bytes in words, binary units, e.g. `"0 Bytes"`, `"512 Bytes"`, `"2.5 GiB"`. */
export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} Bytes`;
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${Math.round(value * 10) / 10} ${units[i]}`;
}

/** The product's coins and storage blocks for the current period. */
function currentBlocks(product: ProductRecord, access: Access) {
  const state = access.state;
  const unit = state.units.get(product.unitId)!;
  const now = state.now();
  const period = billingPeriod(unit.billingDay, now);
  const todayStart = startOfDay(now).getTime();
  // Everything before today in totals only (fast), today's items in full.
  const before = state.productCharges(product.id, {
    from: period.from,
    until: new Date(Math.max(todayStart, period.from.getTime())),
  }, {
    totalsOnly: true,
  });
  const today = state.productCharges(product.id, {
    from: new Date(todayStart),
    until: period.until,
  });
  // All amounts in ten-thousandths of a coin (bigint), see ../data/ten_k.ts.
  const used = before.processingTenK + before.storageTenK;
  const processing = before.processingTenK + today.processingTenK;
  const storageSoFar = before.storageTenK + today.storageTenK;
  const todayItem = today.storage.find((s) => s.date === formatDay(now));
  const burn = parseTenK(todayItem?.current_burn_rate ?? "0");
  const remainingDays = Math.round((period.until.getTime() - todayStart) / DAY_MS);
  const ahead = burn * BigInt(Math.max(remainingDays - 1, 0));
  const storageContribution = storageSoFar + ahead;
  const prediction = processing + storageContribution;
  const coins: ProductCoinsDetail = {
    allowance: product.allowance,
    limit: product.limit,
    used: tenKToNumber(used),
    at_limit: used >= BigInt(product.limit) * TEN_K_PER_COIN, // limits are whole coins
    current_burn_rate: tenKToNumber(burn),
    billing_prediction: tenKToNumber(prediction),
    billing_prediction_storage_contribution: tenKToNumber(storageContribution),
    billing_day: unit.billingDay,
    allowance_multiplier: 1,
    overspend_multiplier: 2,
    remaining_days: remainingDays,
  };
  const data = todayItem?.additional_data ?? {};
  const peak = Number(data.peak_bytes ?? 0);
  const current = Number(data.current_bytes ?? 0);
  const storage: ProductDmStorageDetail = {
    size: {
      peak: humanBytes(peak),
      current: humanBytes(current),
      unit_size: humanBytes(STORAGE_UNIT_BYTES),
      units_used: Math.ceil(peak / STORAGE_UNIT_BYTES),
    },
    coins: {
      used: tenKToNumber(parseTenK(todayItem?.coins ?? "0")),
      unit_cost: Number(STORAGE_UNIT_COST),
    },
  };
  return { coins, storage, processing };
}

/** The product as the AS lists it: product, organisation, unit, storage, coins (+ instance, claim). */
export function productView(product: ProductRecord, access: Access): AnyProduct {
  const state = access.state;
  const unit = state.units.get(product.unitId)!;
  const org = state.orgs.get(unit.orgId)!;
  const { coins, storage, processing } = currentBlocks(product, access);
  const detail: AnyProduct["product"] = {
    id: product.id,
    created: product.created,
    type: product.type,
    name: product.name,
  };
  if (product.flavour) detail.flavour = product.flavour;
  const base = {
    product: detail,
    organisation: orgAllDetail(org, access),
    unit: unitAllDetail(unit, access),
    storage,
    coins,
    claimable: product.type === "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION",
  };
  if (product.type === "DATA_MANAGER_STORAGE_SUBSCRIPTION") return base;
  return {
    ...base,
    instance: { coins: { used: tenKToNumber(processing) } },
    ...(product.claim ? { claim: { ...product.claim } } : {}),
  };
}
