/**
 * `AsApi`, the Account Server client: a thin re-export of `client/as/mod.ts`, kept so that
 * existing imports of `client/as_api.ts` keep working.
 *
 * @module
 */

export * from "./as/mod.ts";
