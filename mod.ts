/**
 * squonk2-billing: a Deno-first toolkit for the Squonk2 Account Server.
 *
 * The public surface, re-exported from the modules that define it.
 *
 * @module
 */

export * from "./client/errors.ts";
export * from "./client/redact.ts";
export * from "./client/coins.ts";
export type * from "./client/types.ts";
export * from "./client/transport.ts";
export * from "./client/retry.ts";
