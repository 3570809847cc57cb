/**
 * The client side of squonk2-billing: fetch-only clients for the Squonk2 Account Server
 * (`AsApi`), Keycloak access tokens, and XQ, with the shared HTTP transport, the error
 * classes, exact coin arithmetic (`Coins`) and secret redaction. It loads neither Hono nor
 * exceljs.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./redact.ts";
export * from "./coins.ts";
export type * from "./types.ts";
export * from "./env.ts";
export * from "./transport/mod.ts";
export * from "./as/mod.ts";
export * from "./as/config.ts";
export * from "./as/periods.ts";
export * from "./keycloak/mod.ts";
export * from "./xq/mod.ts";
