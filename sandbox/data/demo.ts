/**
 * Builds the sandbox's initial records (organisations, units, products, merchants, assets,
 * actions) deterministically from a seed, the clock and the sizes. Charge items are not
 * built here: `data/charges.ts` generates them on demand.
 *
 * @module
 */

import type { FlavourEnum, ProductTypeEnum } from "../../client/types.ts";
import { addDays, DAY_MS, startOfDay } from "../periods.ts";
import { isoSeconds } from "./charge_format.ts";
import { STORAGE_UNIT_BYTES } from "./charges.ts";
import { addActions, addAssets, addMerchants } from "./demo_extras.ts";
import type { DemoData, DemoSizes } from "./demo_types.ts";
import { nameAt, ORG_NAMES, PRODUCT_NAMES, UNIT_NAMES } from "./names.ts";
import { createRandom, hashSeed, type Random } from "./prng.ts";
import type { OrgRecord, ProductRecord, UnitRecord } from "./records.ts";
import { DEMO_ADA, DEMO_ADMIN, DEMO_CHEN, DEMO_EVE, DEMO_GRACE } from "./users.ts";

/** Built-in allowance and limit of each project-tier flavour (sandbox choice). */
export const FLAVOUR_ALLOWANCES: Readonly<
  Record<FlavourEnum, { allowance: number; limit: number }>
> = {
  EVALUATION: { allowance: 50, limit: 50 },
  BRONZE: { allowance: 500, limit: 1000 },
  SILVER: { allowance: 1500, limit: 3000 },
  GOLD: { allowance: 5000, limit: 10000 },
};

/** Billing days handed out in turn: 1 and 28 come first, the rest spread over the month. */
const BILLING_DAYS = [1, 28, 15, 3, 27, 10, 20, 5, 12, 25, 7, 18];

/** Product kinds handed out in turn, so every type and flavour appears. */
const PRODUCT_KINDS: readonly { type: ProductTypeEnum; flavour?: FlavourEnum }[] = [
  { type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", flavour: "BRONZE" },
  { type: "DATA_MANAGER_STORAGE_SUBSCRIPTION" },
  { type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", flavour: "SILVER" },
  { type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", flavour: "GOLD" },
  { type: "DATA_MANAGER_STORAGE_SUBSCRIPTION" },
  { type: "DATA_MANAGER_PROJECT_TIER_SUBSCRIPTION", flavour: "EVALUATION" },
];

/** Organisation owners in turn; the third belongs to the admin. */
const OWNERS = [DEMO_ADA, DEMO_GRACE, DEMO_ADMIN, DEMO_CHEN];

/** What the builders read and fill while building. */
interface Builder {
  rnd: Random;
  now: Date;
  sizes: DemoSizes;
  data: DemoData;
  serial: number;
}

/** An instant 1..`maxExtraDays` days (plus a random part of a day) before `historyStart`. */
function createdBefore(b: Builder, historyStart: Date, maxExtraDays: number): Date {
  const extra = b.rnd.int(1, maxExtraDays) * DAY_MS + b.rnd.int(0, DAY_MS / 1000 - 1) * 1000;
  return new Date(historyStart.getTime() - extra);
}

/** Adds one product to `unit`. */
function addProduct(b: Builder, unit: UnitRecord, kindIndex: number): ProductRecord {
  const kind = PRODUCT_KINDS[kindIndex % PRODUCT_KINDS.length];
  // A day or three after its unit, so a full history of `periods` periods exists.
  const created = new Date(
    Date.parse(unit.created) + b.rnd.int(1, 3) * DAY_MS + b.rnd.int(0, 86_399) * 1000,
  );
  const isStorage = kind.type === "DATA_MANAGER_STORAGE_SUBSCRIPTION";
  const allowance = isStorage ? b.rnd.int(2, 40) * 50 : FLAVOUR_ALLOWANCES[kind.flavour!].allowance;
  const limit = isStorage ? allowance * 2 : FLAVOUR_ALLOWANCES[kind.flavour!].limit;
  const index = b.data.products.length;
  const product: ProductRecord = {
    id: `product-${b.rnd.uuid()}`,
    serial: ++b.serial,
    unitId: unit.id,
    name: nameAt(PRODUCT_NAMES, index, "Product"),
    type: kind.type,
    flavour: kind.flavour,
    allowance,
    limit,
    created: isoSeconds(created.getTime()),
    chargesFrom: new Date(Math.floor(created.getTime() / 1000) * 1000),
    hasDemoCharges: true,
    chargeUsers: [unit.ownerId, ...unit.members],
    // One product in seven stores nothing, so zero-coin storage items exist too.
    baseBytes: index % 7 === 6 ? 0 : Math.floor(
      (isStorage ? b.rnd.int(5, 80) : b.rnd.int(1, 20)) * STORAGE_UNIT_BYTES * (0.5 + b.rnd.next()),
    ),
  };
  if (!isStorage && b.rnd.next() < 0.6) {
    product.claim = { id: `project-${b.rnd.uuid()}`, name: `DM project ${index + 1}` };
  }
  b.data.products.push(product);
  return product;
}

/** Adds a unit to `org`. */
function addUnit(
  b: Builder,
  org: OrgRecord,
  spec: { name: string; owner: string; billingDay: number },
): UnitRecord {
  const historyStart = addDays(startOfDay(b.now), -31 * (b.sizes.periods + 1));
  const unit: UnitRecord = {
    id: `unit-${b.rnd.uuid()}`,
    orgId: org.id,
    name: spec.name,
    ownerId: spec.owner,
    created: isoSeconds(createdBefore(b, historyStart, 20).getTime()),
    billingDay: spec.billingDay,
    defaultProductPrivacy: org.defaultProductPrivacy,
    private: false,
    members: new Set(),
    personal: org.isDefault,
  };
  b.data.units.push(unit);
  return unit;
}

/** Adds an organisation. */
function addOrg(b: Builder, name: string, owner?: string): OrgRecord {
  const historyStart = addDays(startOfDay(b.now), -31 * (b.sizes.periods + 1));
  const org: OrgRecord = {
    id: `org-${b.rnd.uuid()}`,
    name,
    ownerId: owner,
    created: isoSeconds(createdBefore(b, historyStart, 60).getTime() - 30 * DAY_MS),
    defaultProductPrivacy: owner ? "DEFAULT_PRIVATE" : "ALWAYS_PUBLIC",
    private: false,
    members: new Set(),
    isDefault: owner === undefined,
  };
  b.data.orgs.push(org);
  return org;
}

/** Memberships that give the demo users different views (see `data/users.ts`). */
function addMemberships(b: Builder): void {
  const [org0, org1, org2] = b.data.orgs.filter((o) => !o.isDefault);
  const unitsOf = (org: OrgRecord | undefined) => b.data.units.filter((u) => u.orgId === org?.id);
  org0?.members.add(DEMO_CHEN);
  org2?.members.add(DEMO_GRACE);
  unitsOf(org1)[0]?.members.add(DEMO_ADA);
  unitsOf(org2)[1]?.members.add(DEMO_CHEN);
}

/** Builds the demo records for `seed` at `now` with `sizes`. */
export function buildDemoData(seed: number, options: { now: Date; sizes: DemoSizes }): DemoData {
  const b: Builder = {
    rnd: createRandom(hashSeed(seed, ["demo"])),
    now: options.now,
    sizes: options.sizes,
    data: {
      orgs: [],
      units: [],
      products: [],
      merchants: [],
      assets: [],
      actions: [],
      random: createRandom(hashSeed(seed, ["ids"])),
    },
    serial: 0,
  };
  addMerchants(b);
  const defaultOrg = addOrg(b, "Default");
  let unitIndex = 0;
  for (let o = 0; o < options.sizes.organisations; o++) {
    const owner = OWNERS[o % OWNERS.length];
    const org = addOrg(b, nameAt(ORG_NAMES, o, "Organisation"), owner);
    for (let u = 0; u < options.sizes.unitsPerOrganisation; u++, unitIndex++) {
      addUnit(b, org, {
        name: nameAt(UNIT_NAMES, unitIndex, "Unit"),
        owner,
        billingDay: BILLING_DAYS[unitIndex % BILLING_DAYS.length],
      });
    }
  }
  addMemberships(b);
  let kind = 0;
  for (const unit of [...b.data.units]) {
    for (let p = 0; p < options.sizes.productsPerUnit; p++) addProduct(b, unit, kind++);
  }
  // Personal units (Default organisation): Ada (day 28), Chen (day 1), Eve the evaluator (day 15).
  const personal: [string, number, number][] = [[DEMO_ADA, 28, 0], [DEMO_CHEN, 1, 1], [
    DEMO_EVE,
    15,
    5,
  ]];
  for (const [owner, billingDay, kindIndex] of personal) {
    const unit = addUnit(b, defaultOrg, { name: `Personal unit of ${owner}`, owner, billingDay });
    addProduct(b, unit, kindIndex);
  }
  addAssets(b);
  addActions(b);
  return b.data;
}
