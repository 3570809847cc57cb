/**
 * The reports: charges (scope, periods, collection, totals, reconciliation, the model),
 * writers (CSV, XLSX, files), onboarding, the report store, scheduled exports and sealed
 * delivery. The report server has its own entry point (reports/server/mod.ts) because it
 * loads Hono.
 *
 * @module
 */

export * from "./charges/mod.ts";
export * from "./writers/mod.ts";
export * from "./onboard/mod.ts";
export * from "./store/mod.ts";
export * from "./schedule/mod.ts";
export * from "./seal/mod.ts";
export { createLimiter, DEFAULT_CONCURRENCY, type Limiter, mapPool } from "./_pool.ts";
