/**
 * Refusing to export into a store that would lose the reports. On the new Deno Deploy a KV
 * database must be provisioned and assigned to the app; without one, `Deno.openKv()` opens a
 * scratch database per instance, so every run would find nothing stored, export everything
 * again, and the reports would vanish with the instance, without any error.
 *
 * Deploy gives the code no signal that a database is assigned, so the store is verified by
 * its marker (`KvReportStore.claimMarker`): each instance writes it at start-up unless it is
 * there, and a run goes ahead only when the marker it finds was written by ANOTHER instance,
 * which a per-instance database can never show. The first run of a new database may thus be
 * refused once, when it lands in the very instance that wrote the marker; its retry (or any
 * request that starts another instance) verifies it. Off Deploy the store is a local file
 * (`kv`, `kv:PATH`) or directory and is durable by construction; `kv::memory:` never is.
 *
 * @module
 */

import { StoreError } from "../../client/errors.ts";
import type { KvReportStore } from "./kv.ts";
import type { OpenReportStore } from "./types.ts";

/** Where the job runs, for {@link verifyDurableStore}. */
export interface DurabilityOptions {
  /** The store spec (`kv`, `kv:PATH`, a directory). */
  spec: string;
  /** True on Deno Deploy (`DENO_DEPLOY` is set there). */
  onDeploy: boolean;
  /** This process's id (the one it writes into the marker). */
  instance: string;
}

/** What to do, in the words of every refusal. */
export const ASSIGN_KV_HINT =
  "provision a Deno KV database and assign it to the app (deno deploy database provision <db> --kind denokv; deno deploy database assign <db> --app <app>), then keep REPORTS_STORE=kv; see docs/scheduled-job.md#deploying-to-deno-deploy";

/** True when `store` is a KV store with a marker. */
function hasMarker(store: OpenReportStore): store is KvReportStore {
  return typeof (store as Partial<KvReportStore>).claimMarker === "function";
}

/**
 * Resolves when `store` keeps what is written into it beyond this process; otherwise throws
 * a {@link StoreError} that says why and what to do.
 *
 * @throws {StoreError} for `kv::memory:`, a file store on Deno Deploy, or a Deploy KV database
 * whose marker was not written by another instance.
 */
export async function verifyDurableStore(
  store: OpenReportStore,
  options: DurabilityOptions,
): Promise<void> {
  const spec = options.spec.trim();
  if (spec === "kv::memory:") {
    throw new StoreError(
      `the report store "kv::memory:" is lost when the process stops: use kv, kv:PATH or a directory`,
    );
  }
  const remote = /^kv:https?:\/\//.test(spec);
  if (!options.onDeploy || remote) return;
  if (spec !== "kv") {
    throw new StoreError(
      `the report store "${spec}" is on Deno Deploy's file system, which is lost when an instance stops: ${ASSIGN_KV_HINT}`,
    );
  }
  if (!hasMarker(store)) {
    throw new StoreError(`the report store "${spec}" cannot be verified: ${ASSIGN_KV_HINT}`);
  }
  const marker = await store.claimMarker(options.instance);
  if (marker.instance === options.instance) {
    throw new StoreError(
      `cannot verify that the KV database is durable: its marker was written by this same instance (${marker.created}), and a database that no other instance has seen may be a per-instance scratch database whose reports vanish with it. If a database is assigned, the retry in another instance verifies it; otherwise ${ASSIGN_KV_HINT}`,
    );
  }
}
