/**
 * The sandbox Account Server's state: demo users, organisations, units, products,
 * merchants, assets, event streams and actions, plus the clock. One instance per sandbox;
 * nothing lives at module level. Charge items are generated on demand from the seed (see
 * `data/charges.ts`), so the same seed and clock always give the same charges.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { type GeneratedCharges, generateProductCharges } from "./data/charges.ts";
import { buildDemoData } from "./data/demo.ts";
import { checkSizes, DEFAULT_SIZES, type SandboxSizes } from "./data/sizes.ts";
import type { Random } from "./data/prng.ts";
import type {
  ActionRecord,
  AssetRecord,
  EventStreamRecord,
  MerchantRecord,
  OrgRecord,
  ProductRecord,
  UnitRecord,
} from "./data/records.ts";
import { demoUsers, ROLE_ADMIN } from "./data/users.ts";
import { billingPeriod, type Period } from "./periods.ts";

export type * from "./data/records.ts";
export type { SandboxSizes } from "./data/sizes.ts";
export { DEFAULT_SIZES } from "./data/sizes.ts";

/** The caller of a request: a Keycloak username and its realm roles. */
export interface Principal {
  /** The Keycloak username. */
  username: string;
  /** Keycloak realm roles, e.g. "account-server-admin". */
  roles: string[];
}

/** A demo user; the password is a sandbox-only demo secret. */
export interface DemoUser {
  /** The Keycloak username. */
  username: string;
  /** The user's sandbox-only password (password grant). */
  password: string;
  /** Keycloak realm roles, e.g. "account-server-admin". */
  roles: string[];
}

/** Options of {@link createSandboxState}. */
export interface SandboxStateOptions {
  /** Seed of every generated value (default 1). */
  seed?: number;
  /** The sandbox clock (default: the real time, to the second). */
  now?: Date | string;
  /** Overrides of the default sizes. */
  sizes?: Partial<SandboxSizes>;
}

/** Reads a clock value, rejecting what is not a date. */
function toDate(value: Date | string): Date {
  const d = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new UsageError(
      `Cannot use "${String(value)}" as the sandbox clock: give an ISO-8601 date-time`,
    );
  }
  return d;
}

/** All mutable state of one sandbox Account Server. */
export class SandboxState {
  /** Seed of every generated value. */
  readonly seed: number;
  /** The sizes the demo data was made with. */
  readonly sizes: Readonly<SandboxSizes>;
  /** Demo users (usernames, sandbox-only passwords, realm roles). */
  readonly users: DemoUser[];
  /** Organisations by id, in creation order (the Default organisation first). */
  readonly orgs: Map<string, OrgRecord> = new Map();
  /** Units by id, in creation order. */
  readonly units: Map<string, UnitRecord> = new Map();
  /** Products by id, in creation order. */
  readonly products: Map<string, ProductRecord> = new Map();
  /** Merchants (integer ids). */
  readonly merchants: MerchantRecord[];
  /** Assets by id. */
  readonly assets: Map<string, AssetRecord> = new Map();
  /** Event streams by id (at most one per user). */
  readonly eventStreams: Map<number, EventStreamRecord> = new Map();
  /** The admin action log, oldest first. */
  readonly actions: ActionRecord[];
  #now: Date;
  #random: Random;
  #nextSerial: number;
  #nextEventStreamId = 1;

  /** Builds the demo data; prefer {@link createSandboxState}. */
  constructor(options: SandboxStateOptions = {}) {
    this.seed = options.seed ?? 1;
    this.#now = toDate(options.now ?? new Date(Math.floor(Date.now() / 1000) * 1000));
    this.sizes = checkSizes({ ...DEFAULT_SIZES, ...options.sizes });
    this.users = demoUsers();
    const data = buildDemoData(this.seed, { now: this.#now, sizes: this.sizes });
    for (const org of data.orgs) this.orgs.set(org.id, org);
    for (const unit of data.units) this.units.set(unit.id, unit);
    for (const product of data.products) this.products.set(product.id, product);
    for (const asset of data.assets) this.assets.set(asset.id, asset);
    this.merchants = data.merchants;
    this.actions = data.actions;
    this.#random = data.random;
    this.#nextSerial = data.products.length + 1;
  }

  /** The sandbox clock. */
  now(): Date {
    return new Date(this.#now.getTime());
  }

  /** The sandbox clock as an ISO-8601 UTC timestamp without milliseconds. */
  nowIso(): string {
    return this.#now.toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Moves the sandbox clock (charges up to the new "now" appear; history stays the same). */
  setNow(now: Date | string): void {
    this.#now = toDate(now);
  }

  /** A new id such as `unit-<uuid>` (deterministic: the n-th id of a seed is always the same). */
  newId(prefix: string): string {
    return `${prefix}-${this.#random.uuid()}`;
  }

  /** A new product serial number (keys generated charges). */
  newProductSerial(): number {
    return this.#nextSerial++;
  }

  /** A new event stream id. */
  newEventStreamId(): number {
    return this.#nextEventStreamId++;
  }

  /** A fresh UUID from the deterministic stream. */
  newUuid(): string {
    return this.#random.uuid();
  }

  /** The Default organisation (it holds the personal units). */
  defaultOrg(): OrgRecord {
    for (const org of this.orgs.values()) if (org.isDefault) return org;
    throw new Error("The sandbox lost its Default organisation");
  }

  /** The units of an organisation, in creation order. */
  unitsOf(orgId: string): UnitRecord[] {
    return [...this.units.values()].filter((u) => u.orgId === orgId);
  }

  /** The products of a unit, in creation order. */
  productsOf(unitId: string): ProductRecord[] {
    return [...this.products.values()].filter((p) => p.unitId === unitId);
  }

  /** The personal unit of `username`, if any. */
  personalUnitOf(username: string): UnitRecord | undefined {
    for (const unit of this.units.values()) {
      if (unit.personal && unit.ownerId === username) return unit;
    }
    return undefined;
  }

  /** The demo user called `username`, if any. */
  user(username: string): DemoUser | undefined {
    return this.users.find((u) => u.username === username);
  }

  /** True when the principal has the admin realm role. */
  isAdmin(principal: Principal): boolean {
    return principal.roles.includes(ROLE_ADMIN);
  }

  /** Appends an entry to the action log, stamped with the sandbox clock. */
  recordAction(action: string, entry: Omit<ActionRecord, "id" | "action" | "timestamp">): void {
    this.actions.push({ id: this.actions.length + 1, action, timestamp: this.nowIso(), ...entry });
  }

  /** Ground truth: the billing period `pbp` (0 = current) of a unit. */
  unitPeriod(unitId: string, pbp = 0): Period {
    const unit = this.units.get(unitId);
    if (!unit) {
      throw new UsageError(`No unit "${unitId}" in the sandbox: use an id from state.units`);
    }
    return billingPeriod(unit.billingDay, this.#now, { pbp });
  }

  /**
   * Ground truth: a product's charges within `range` as they exist now. With `totalsOnly`
   * only counts and totals are computed (the item lists stay empty).
   */
  productCharges(
    productId: string,
    range: Period,
    options: { totalsOnly?: boolean } = {},
  ): GeneratedCharges {
    const product = this.products.get(productId);
    if (!product) {
      throw new UsageError(
        `No product "${productId}" in the sandbox: use an id from state.products`,
      );
    }
    const unit = this.units.get(product.unitId)!;
    return generateProductCharges(product, {
      seed: this.seed,
      now: this.#now,
      billingDay: unit.billingDay,
      range,
      merchants: this.merchants,
      processingPerPeriod: this.sizes.processingChargesPerPeriod,
      totalsOnly: options.totalsOnly,
    });
  }
}

/** Creates the state of a new sandbox (deterministic from `seed`, `now` and `sizes`). */
export function createSandboxState(options: SandboxStateOptions = {}): SandboxState {
  return new SandboxState(options);
}
