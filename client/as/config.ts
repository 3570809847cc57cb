/**
 * Configuration of the AS client from the environment: base URL, TLS verification, debug
 * logging, and what Deno can and cannot do about TLS verification.
 *
 * | variable | meaning |
 * |---|---|
 * | `SQUONK2_ASAPI_URL` | AS base URL, e.g. `https://example.com/account-server-api` |
 * | `SQUONK2_ASAPI_VERIFY_SSL_CERT` | `yes` (default) verifies TLS; anything else asks not to |
 * | `SQUONK2_API_DEBUG_REQUESTS` | `yes` (any case) logs one redacted line per request attempt |
 * | `SQUONK2_ASAPI_TIMEOUT_S` | seconds to wait for each answer (1..600, default 4) |
 *
 * @module
 */

import { type EnvLookup, processEnv } from "../env.ts";
import { ConfigError } from "../errors.ts";

/** The AS settings read from the environment. */
export interface AsEnvConfig {
  /** Base URL without trailing slashes (`""` when unset). */
  url: string;
  /** Whether TLS certificates should be verified. */
  verifySslCert: boolean;
  /** Whether every request attempt should be logged (redacted) to stderr. */
  debugRequests: boolean;
  /** `SQUONK2_ASAPI_TIMEOUT_S`: seconds to wait for each answer, when set. */
  timeoutS?: number;
}

/** Longest `SQUONK2_ASAPI_TIMEOUT_S` accepted, in seconds. */
export const MAX_TIMEOUT_S = 600;

/** True when `value` is `yes` in any letter case (the Python client's rule). */
export function isYes(value: string | undefined): boolean {
  return (value ?? "").trim().toLowerCase() === "yes";
}

/** `url` without surrounding spaces and trailing slashes (`https://h/api//` → `https://h/api`). */
export function trimBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

/**
 * Reads `SQUONK2_ASAPI_URL`, `SQUONK2_ASAPI_VERIFY_SSL_CERT`, `SQUONK2_API_DEBUG_REQUESTS`
 * and `SQUONK2_ASAPI_TIMEOUT_S`.
 *
 * @throws {ConfigError} when `SQUONK2_ASAPI_TIMEOUT_S` is set but not a number of seconds
 * from 1 to 600.
 */
export function asConfigFromEnv(env: EnvLookup = processEnv()): AsEnvConfig {
  const verify = env("SQUONK2_ASAPI_VERIFY_SSL_CERT");
  const timeoutText = env("SQUONK2_ASAPI_TIMEOUT_S")?.trim();
  let timeoutS: number | undefined;
  if (timeoutText) {
    timeoutS = /^\d+(\.\d+)?$/.test(timeoutText) ? Number(timeoutText) : NaN;
    if (!(timeoutS >= 1 && timeoutS <= MAX_TIMEOUT_S)) {
      throw new ConfigError(
        `SQUONK2_ASAPI_TIMEOUT_S "${timeoutText}" is invalid: give the seconds to wait for each answer, from 1 to ${MAX_TIMEOUT_S} (default 4)`,
      );
    }
  }
  return {
    url: trimBaseUrl(env("SQUONK2_ASAPI_URL") ?? ""),
    // Python rule: verification is on only when the value is "yes"; unset means "yes".
    verifySslCert: verify === undefined || verify.trim() === "" ? true : isYes(verify),
    debugRequests: isYes(env("SQUONK2_API_DEBUG_REQUESTS")),
    ...(timeoutS === undefined ? {} : { timeoutS }),
  };
}

/**
 * Whether this Deno process was started with `--unsafely-ignore-certificate-errors` covering
 * `host`: `true` or `false` when it can tell, `undefined` when it cannot (no read permission
 * for `/proc/self/cmdline`, or not Linux). Deno's `fetch` has no per-request switch and
 * `Deno.createHttpClient` offers only extra CA certificates (`caCerts`), so this flag is the
 * only way to skip verification.
 */
export function ignoresCertificateErrors(host: string): boolean | undefined {
  try {
    const path = "/proc/self/cmdline";
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    const args = new TextDecoder().decode(Deno.readFileSync(path)).split("\0");
    for (const arg of args) {
      if (arg === "--") break;
      if (arg === "--unsafely-ignore-certificate-errors") return true;
      const prefix = "--unsafely-ignore-certificate-errors=";
      if (arg.startsWith(prefix)) {
        return arg.slice(prefix.length).split(",").map((h) => h.trim()).includes(host);
      }
    }
    return false;
  } catch {
    return undefined;
  }
}

/**
 * The warning to show when verification was turned off but Deno will still verify: names
 * the exact flag to add. `undefined` when no warning is due (http URL, or the flag is in
 * effect for the host).
 */
export function tlsWarning(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:") return undefined;
  if (ignoresCertificateErrors(u.hostname) === true) return undefined;
  return `TLS verification for ${u.hostname} was turned off (SQUONK2_ASAPI_VERIFY_SSL_CERT ` +
    `or setApiUrl(url, { verifySslCert: false })) but Deno cannot skip it per request, so ` +
    `certificates are still verified: run deno with ` +
    `--unsafely-ignore-certificate-errors=${u.hostname} to skip it, or trust your CA with ` +
    `DENO_CERT=/path/to/ca.pem`;
}
