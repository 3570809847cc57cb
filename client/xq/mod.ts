/**
 * The XQ client: {@link XqApi}, a fetch-only client for the XQ subscription and validation
 * services (authorisation, key packets, key exchange).
 *
 * @module
 */

export * from "./api.ts";
