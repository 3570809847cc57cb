/**
 * Reading (not verifying) a JWT's expiry. The AS verifies tokens; a client only needs to
 * know when to fetch a new one.
 *
 * @module
 */

import { decodeBase64 } from "../base64.ts";

/**
 * The `exp` claim of a JWT in milliseconds since the epoch, or `undefined` when `token` is
 * not a JWT or has no numeric `exp`.
 */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const bytes = decodeBase64(parts[1], { url: true });
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims?.exp === "number" ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
