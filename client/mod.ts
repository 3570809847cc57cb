/**
 * The client side of squonk2-billing: fetch-only clients for the Squonk2 Account Server
 * ({@link AsApi}, answers as {@link ApiRv}, {@link unwrap}), access tokens
 * ({@link tokenSourceFromEnv}, {@link KeycloakTokenSource}, {@link StaticTokenSource}) and
 * XQ ({@link XqApi}), with the error classes ({@link BillingError} and its subclasses),
 * exact coin arithmetic ({@link Coins}), secret redaction ({@link redact}) and the typed
 * Account Server answers. It loads neither Hono nor exceljs.
 *
 * Import it as `@squonk2/billing/client`; the folders `as/`, `keycloak/`, `transport/` and
 * `xq/` each have a `mod.ts` with the same symbols for their part.
 *
 * @example
 * ```ts
 * import { AsApi, tokenSourceFromEnv, unwrap } from "@squonk2/billing/client";
 *
 * const api = new AsApi({ url: "https://example.com/account-server-api" });
 * const tokens = tokenSourceFromEnv(); // SQUONK2_ASAPI_TOKEN or SQUONK2_KEYCLOAK_*
 * const rv = await api.getOrganisations(await tokens.getToken());
 * const { organisations } = unwrap(rv, "List organisations"); // throws rv.error on failure
 * for (const org of organisations) console.log(org.id, org.name);
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export { redact } from "./redact.ts";
export { Coins } from "./coins.ts";
export * from "./as/mod.ts";
export * from "./keycloak/mod.ts";
export * from "./transport/mod.ts";
export * from "./xq/mod.ts";
