/**
 * The one interface through which scripts, reports and servers obtain an AS access token.
 * `client/keycloak/keycloak_source.ts` implements it for Keycloak grants and for a ready token.
 *
 * @module
 */

/** Something that can hand out a valid access token, refreshing it as needed. */
export interface AccessTokenSource {
  /** Resolves to an access token valid for at least the next 60 seconds. */
  getToken(): Promise<string>;
}
