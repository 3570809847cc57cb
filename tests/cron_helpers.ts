/**
 * Shared by the scheduled-job tests: a sandbox connection as the job sees it, a store that
 * records its writes, and an oracle of which unit periods close on which days computed
 * straight from the sandbox's records (not through the code under test).
 *
 * @module
 */

import type { AsApi } from "../client/as_api.ts";
import { sandboxConnection } from "../scripts/connect.ts";
import type { CollectContext } from "../reports/collect_types.ts";
import type { ReportStore, StoredReport } from "../reports/store_types.ts";
import { type RunningSandbox, startSandbox, type StartSandboxOptions } from "../sandbox/mod.ts";

/** A started sandbox and the job's context for it. */
export interface CronSandbox {
  sandbox: RunningSandbox;
  /** The job's context; its `api` is the full AS client (the report server needs it too). */
  ctx: CollectContext & { api: AsApi };
  close(): Promise<void>;
}

/** Small demo data: 3 organisations × 3 units (billing days 1, 28, 15 / 3, 27, 10 / 20, 5, 12). */
export const SMALL_SIZES = { productsPerUnit: 2, processingChargesPerPeriod: 2 };

/** Starts a quiet sandbox with small data and returns the job's context for it. */
export async function startCronSandbox(
  options: StartSandboxOptions = {},
): Promise<CronSandbox> {
  const sandbox = await startSandbox({ seed: 11, quiet: true, sizes: SMALL_SIZES, ...options });
  const conn = sandboxConnection(sandbox);
  return {
    sandbox,
    ctx: { api: conn.api, tokens: conn.tokens, sourceUrl: conn.sourceUrl, sandbox: true },
    close: () => sandbox.close(),
  };
}

/** A store wrapper that records the name of every successful `put`. */
export function recordingStore(store: ReportStore): ReportStore & { puts: string[] } {
  const puts: string[] = [];
  return {
    puts,
    async put(meta, bytes): Promise<StoredReport> {
      const stored = await store.put(meta, bytes);
      puts.push(stored.name);
      return stored;
    },
    list: () => store.list(),
    get: (name) => store.get(name),
    has: (name) => store.has(name),
  };
}

/** `YYYY-MM-DD` plus `n` days. */
export function plusDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Oracle: `unitId|until` of every unit period whose exclusive end falls on a day in
 * `(after, upTo]`, found by walking the days and matching each unit's billing day.
 */
export function closingUnitPeriods(
  sandbox: RunningSandbox,
  after: string,
  upTo: string,
): Set<string> {
  const out = new Set<string>();
  for (let d = plusDays(after, 1); d <= upTo; d = plusDays(d, 1)) {
    const dom = Number(d.slice(8, 10));
    for (const unit of sandbox.state.units.values()) {
      if (unit.billingDay === dom) out.add(`${unit.id}|${d}`);
    }
  }
  return out;
}

/** The scheduled time of the daily run of `day` (02:15 UTC). */
export function runAt(day: string): Date {
  return new Date(`${day}T02:15:00Z`);
}
