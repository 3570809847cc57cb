/**
 * The shapes of the demo data that the builders in `demo.ts` and `demo_extras.ts` share.
 *
 * @module
 */

import type { Random } from "./prng.ts";
import type {
  ActionRecord,
  AssetRecord,
  MerchantRecord,
  OrgRecord,
  ProductRecord,
  UnitRecord,
} from "./records.ts";
import type { SandboxSizes } from "./sizes.ts";

/** Knobs of the demo data (see `data/sizes.ts`). */
export type DemoSizes = SandboxSizes;

/** The records of a fresh sandbox. */
export interface DemoData {
  orgs: OrgRecord[];
  units: UnitRecord[];
  products: ProductRecord[];
  merchants: MerchantRecord[];
  assets: AssetRecord[];
  actions: ActionRecord[];
  /** The random stream the state keeps using for ids of things created later. */
  random: Random;
}
