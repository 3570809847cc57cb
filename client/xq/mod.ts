/**
 * The XQ client: {@link XqApi}, a fetch-only client for the XQ subscription and validation
 * services (authorisation, key packets, key exchange).
 *
 * @module
 */

export {
  type AuthorizeAliasOptions,
  type AuthorizeUserOptions,
  XqApi,
  type XqApiKeyInfo,
  type XqApiOptions,
} from "./api.ts";
export { DEFAULT_SUBSCRIPTION_URL, DEFAULT_VALIDATION_URL, type XqConfigInput } from "./config.ts";
export type { XqTransportOptions } from "./http.ts";
export type { PacketsOptions } from "./key_calls.ts";
export type { PacketOptions, XqKey } from "./wire.ts";
export type { BackoffOptions } from "../transport/retry.ts";
export type { SleepFn } from "../transport/timeout.ts";
