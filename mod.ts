/**
 * squonk2-billing: a Deno-first toolkit for the Squonk2 Account Server.
 *
 * This entry point is the client and the reports together: everything of
 * `@squonk2/billing/client` (the `AsApi`, token and `XqApi` clients, errors, `Coins`) and
 * of `@squonk2/billing/reports` (charges, writers, onboarding, the report store, scheduled
 * exports, sealed delivery). Import a subpath to load less: `./client` loads neither Hono
 * nor exceljs.
 *
 * @example
 * ```ts
 * import { AsApi, tokenSourceFromEnv, unwrap } from "@squonk2/billing";
 *
 * const api = new AsApi(); // SQUONK2_ASAPI_URL
 * const token = await tokenSourceFromEnv().getToken();
 * console.log(unwrap(await api.getVersion(), "Version"));
 * console.log(unwrap(await api.getOrganisations(token), "List organisations").count);
 * ```
 *
 * @module
 */

export * from "./client/mod.ts";
export * from "./reports/mod.ts";
// Not the report server (Hono): it has its own entry point, "@squonk2/billing/server".
