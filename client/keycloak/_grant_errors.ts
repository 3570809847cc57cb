/**
 * The errors of a failed Keycloak token request, worded for the person who has to fix the
 * configuration: Keycloak's own `error` and `error_description`, the variable to check,
 * never a password, secret or token.
 *
 * @module
 */

import { AuthError, NetworkError } from "../errors.ts";
import { redact } from "../redact.ts";
import type { TransportResult } from "../transport/types.ts";

/**
 * The {@link AuthError} for a token request that did not give a usable JSON object, or
 * `undefined` when `res` is a 200 with a JSON object (whose `access_token` the caller
 * still checks). `grant.what` names the grant, e.g. `the password grant for user "ada"`.
 */
export function grantFailure(
  res: TransportResult,
  grant: { what: string; grantType: string; secrets: readonly (string | undefined)[] },
): AuthError | undefined {
  const { what, grantType, secrets } = grant;
  const fail = (message: string) => new AuthError(redact(message, secrets), { cause: res.error });
  if (res.error instanceof NetworkError) {
    // A body was read but could not be decoded: Keycloak (or a proxy) answered nonsense.
    if (res.text !== "") {
      return fail(`Keycloak sent a broken answer to ${what}: ${res.error.message}`);
    }
    return fail(
      `Cannot reach Keycloak for ${what}: ${res.error.message}; check SQUONK2_KEYCLOAK_URL`,
    );
  }
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as Record<
    string,
    unknown
  >;
  if (!res.ok) {
    const kc = [body.error, body.error_description].filter((v) => typeof v === "string").join(": ");
    const hint = res.status === 404
      ? "check SQUONK2_KEYCLOAK_URL (include the context path, e.g. /auth) and SQUONK2_KEYCLOAK_REALM"
      : body.error === "invalid_client" || body.error === "unauthorized_client"
      ? "check SQUONK2_KEYCLOAK_AS_CLIENT_ID and SQUONK2_KEYCLOAK_AS_CLIENT_SECRET"
      : grantType === "password"
      ? "check SQUONK2_KEYCLOAK_USER and SQUONK2_KEYCLOAK_USER_PASSWORD"
      : "check the Keycloak settings";
    return fail(`Keycloak refused ${what} (HTTP ${res.status}${kc ? `, ${kc}` : ""}): ${hint}`);
  }
  if (typeof res.body !== "object" || res.body === null || Array.isArray(res.body)) {
    return fail(
      `Keycloak answered ${what} (HTTP ${res.status}) without an access_token in a JSON body: ` +
        `check that SQUONK2_KEYCLOAK_URL points at Keycloak`,
    );
  }
  return undefined;
}
