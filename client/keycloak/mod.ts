/**
 * Access tokens for the Account Server: the {@link AccessTokenSource} interface, Keycloak's
 * password and client-credentials grants ({@link KeycloakTokenSource}), a ready token
 * ({@link StaticTokenSource}), and the choice between them from the environment
 * ({@link tokenSourceFromEnv}).
 *
 * @module
 */

export type { AccessTokenSource } from "./token_source.ts";
export { KeycloakTokenSource, type KeycloakTokenSourceOptions } from "./keycloak_source.ts";
export { StaticTokenSource, type TokenSourceEnvOptions, tokenSourceFromEnv } from "./token_env.ts";
export type { EnvLookup } from "../env.ts";
