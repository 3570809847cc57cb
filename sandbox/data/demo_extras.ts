/**
 * The parts of the demo data that hang off organisations, units and products: merchants,
 * assets of every scope, and the admin action log.
 *
 * @module
 */

import { addDays, DAY_MS, startOfDay } from "../periods.ts";
import { isoSeconds } from "./charge_format.ts";
import type { DemoData, DemoSizes } from "./demo_types.ts";
import type { Random } from "./prng.ts";
import type { ActionRecord, AssetRecord } from "./records.ts";
import { DEMO_ADA, DEMO_ADMIN, DEMO_GRACE } from "./users.ts";

/** What the builders below read and fill. */
export interface Builder {
  rnd: Random;
  now: Date;
  sizes: DemoSizes;
  data: DemoData;
}

/** The merchants: two Data Manager instances with integer ids. */
export function addMerchants(b: Builder): void {
  const created = isoSeconds(addDays(startOfDay(b.now), -31 * (b.sizes.periods + 3)).getTime());
  b.data.merchants.push(
    {
      id: 1,
      created,
      kind: "DATA_MANAGER",
      name: "Data Manager (sandbox)",
      apiHostname: "dm.sandbox.invalid",
    },
    {
      id: 2,
      created,
      kind: "DATA_MANAGER",
      name: "Data Manager – Göteborg",
      apiHostname: "dm-gbg.sandbox.invalid",
    },
  );
}

/** Demo assets of several scopes, one secret, one disabled, one attached. */
export function addAssets(b: Builder): void {
  const org0 = b.data.orgs.find((o) => !o.isDefault)!;
  const unit0 = b.data.units.find((u) => u.orgId === org0.id)!;
  const product0 = b.data.products.find((p) => p.unitId === unit0.id)!;
  const created = isoSeconds(addDays(startOfDay(b.now), -40).getTime());
  const make = (
    a: Omit<AssetRecord, "id" | "created" | "merchantIds" | "disabled">,
    extra: Partial<AssetRecord> = {},
  ) =>
    b.data.assets.push({
      id: `asset-${b.rnd.uuid()}`,
      created,
      merchantIds: new Set(),
      disabled: false,
      ...a,
      ...extra,
    });
  make({
    name: "dm-job-timeout-minutes",
    creator: DEMO_ADMIN,
    scope: "GLOBAL",
    scopeId: "",
    secret: false,
    content: "240",
    description: "Default job timeout",
  }, { merchantIds: new Set([1]) });
  make({
    name: "licence-key",
    creator: DEMO_ADA,
    scope: "ORGANISATION",
    scopeId: org0.id,
    secret: true,
    content: "sandbox-licence-0000",
    description: "Docking licence, Zürich site",
  }, { merchantIds: new Set([1]) });
  make({
    name: "unit-queue",
    creator: DEMO_ADA,
    scope: "UNIT",
    scopeId: unit0.id,
    secret: false,
    content: "gpu-small",
  });
  make({
    name: "product-notes",
    creator: DEMO_ADA,
    scope: "PRODUCT",
    scopeId: product0.id,
    secret: false,
    content: 'Fragment screen, "round 2"',
  }, { disabled: true });
  make({
    name: "personal-token",
    creator: DEMO_GRACE,
    scope: "USER",
    scopeId: DEMO_GRACE,
    secret: true,
    content: "grace-sandbox-token",
  });
}

/** A few admin actions: creation records, and recent storage checks so "today" has some. */
export function addActions(b: Builder): void {
  const record = (a: Omit<ActionRecord, "id">) =>
    b.data.actions.push({ id: b.data.actions.length + 1, ...a });
  for (const org of b.data.orgs) {
    record({
      action: "ORGANISATION_CREATED",
      timestamp: org.created,
      fields: { name: org.name },
      orgId: org.id,
    });
  }
  for (const product of b.data.products) {
    record({
      action: "PRODUCT_CREATED",
      timestamp: product.created,
      fields: { name: product.name, type: product.type },
      productId: product.id,
      merchantId: 1,
    });
  }
  const today = startOfDay(b.now).getTime();
  for (const day of [today - DAY_MS, today]) {
    for (const product of b.data.products.slice(0, 10)) {
      const t = day + b.rnd.int(60, 3600) * 1000;
      if (t >= b.now.getTime()) continue;
      record({
        action: "STORAGE_CHECKED",
        timestamp: isoSeconds(t),
        fields: { product_id: product.id, at_limit: false },
        productId: product.id,
        merchantId: b.rnd.int(1, 2),
      });
    }
  }
  b.data.actions.sort((x, y) => x.timestamp.localeCompare(y.timestamp));
  b.data.actions.forEach((a, i) => (a.id = i + 1));
}
