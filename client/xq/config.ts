/**
 * Configuration of the XQ client: API keys and service URLs from options, then the
 * environment (`XQ_API_KEY`, `XQ_DASHBOARD_API_KEY`, `XQ_SUBSCRIPTION_URL`,
 * `XQ_VALIDATION_URL`), then the public hosts.
 *
 * @module
 */

import { ConfigError } from "../errors.ts";

/** The public subscription service (reference §1.1). */
export const DEFAULT_SUBSCRIPTION_URL = "https://subscription.xqmsg.net/v2";
/** The public validation service (key store and fetch). */
export const DEFAULT_VALIDATION_URL = "https://validation.xqmsg.net/v2";

/** Where the XQ client takes its keys and URLs from; every field is optional. */
export interface XqConfigInput {
  /** The general API key, sent as `api-key` to subscription and validation (default `XQ_API_KEY`). */
  apiKey?: string;
  /**
   * The dashboard API key (default `XQ_DASHBOARD_API_KEY`). The reference sends it only to
   * the dashboard host, which none of this client's methods call; it is kept so callers
   * can pass both keys like the Python SDK, and is redacted everywhere. Unlike Python, a
   * missing dashboard key does not block subscription calls.
   */
  dashboardApiKey?: string;
  /** Subscription base URL including `/v2` (default `XQ_SUBSCRIPTION_URL`, then the public host). */
  subscriptionUrl?: string;
  /** Validation base URL including `/v2` (default `XQ_VALIDATION_URL`, then the public host). */
  validationUrl?: string;
  /** Reads an environment variable (default `Deno.env.get`); inject a map in tests. */
  env?: (name: string) => string | undefined;
}

/** Resolved configuration. */
export interface XqConfig {
  apiKey: string;
  dashboardApiKey?: string;
  subscriptionUrl: string;
  validationUrl: string;
}

/** Resolves `input` against the environment; throws {@link ConfigError} when unusable. */
export function resolveXqConfig(input: XqConfigInput = {}): XqConfig {
  const env = input.env ?? readEnv;
  const apiKey = (input.apiKey ?? env("XQ_API_KEY") ?? "").trim();
  if (!apiKey) {
    throw new ConfigError(
      "Missing XQ API key: set XQ_API_KEY (the general key from the XQ dashboard) or pass apiKey",
    );
  }
  const dashboardApiKey = (input.dashboardApiKey ?? env("XQ_DASHBOARD_API_KEY") ?? "").trim();
  return {
    apiKey,
    dashboardApiKey: dashboardApiKey || undefined,
    subscriptionUrl: baseUrl(
      input.subscriptionUrl ?? env("XQ_SUBSCRIPTION_URL"),
      DEFAULT_SUBSCRIPTION_URL,
      "XQ_SUBSCRIPTION_URL",
    ),
    validationUrl: baseUrl(
      input.validationUrl ?? env("XQ_VALIDATION_URL"),
      DEFAULT_VALIDATION_URL,
      "XQ_VALIDATION_URL",
    ),
  };
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

function baseUrl(value: string | undefined, fallback: string, variable: string): string {
  const text = (value ?? "").trim() || fallback;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`Invalid ${variable} "${text}": expected an http(s) URL ending in /v2`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`Invalid ${variable} "${text}": expected an http(s) URL ending in /v2`);
  }
  return url.toString().replace(/\/+$/, "");
}
