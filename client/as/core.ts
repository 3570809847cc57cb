/**
 * The base of `AsApi`: configuration (URL, TLS, timeouts, retries, logging), the shared
 * transport, and `call()`, which turns one AS request into an {@link ApiRv}. The resource
 * modules (`meta.ts`, `organisations.ts`, …) extend it one after another.
 *
 * @module
 */

import type { ApiRv } from "../api_rv.ts";
import { asConfigFromEnv, type EnvLookup, processEnv, tlsWarning, trimBaseUrl } from "../config.ts";
import { UsageError } from "../errors.ts";
import type { QueryParams } from "../http_body.ts";
import { redact, redactUrl } from "../redact.ts";
import type { BackoffOptions } from "../retry.ts";
import type { SleepFn } from "../timeout.ts";
import { createTransport } from "../transport.ts";
import type { Transport } from "../transport_types.ts";
import type { CallOptions } from "./args.ts";

/** Options of `new AsApi()`; unset values come from the environment or the defaults. */
export interface AsApiOptions {
  /** AS base URL (default `SQUONK2_ASAPI_URL`); trailing slashes are removed. */
  url?: string;
  /** Verify TLS certificates (default `SQUONK2_ASAPI_VERIFY_SSL_CERT` = `yes`). See README. */
  verifySslCert?: boolean;
  /** Environment lookup (default the process environment). */
  env?: EnvLookup;
  /** The fetch to use (default the global one); inject in tests. */
  fetch?: typeof fetch;
  /** Per-attempt timeout in seconds (default 4, the Python client's). */
  timeoutS?: number;
  /** Overall time for one call including retries, in seconds (default none). */
  deadlineS?: number;
  /** Attempts for idempotent calls (default 3); POST and PATCH are always sent once. */
  attempts?: number;
  /** Statuses retried for idempotent calls (default 408, 429, 500, 502, 503, 504). */
  retryStatuses?: readonly number[];
  /** Longest `Retry-After` obeyed in seconds (default 30). */
  maxRetryAfterS?: number;
  /** Backoff schedule and random source (default 300 ms doubling, cap 5 s, jitter). */
  backoff?: BackoffOptions;
  /** Pause function (default a real timer); inject to test backoff without waiting. */
  sleep?: SleepFn;
  /** Receives one redacted line per attempt (default stderr when SQUONK2_API_DEBUG_REQUESTS=yes). */
  log?: (line: string) => void;
  /** Receives warnings, e.g. about TLS verification (default `console.warn`). */
  warn?: (line: string) => void;
  /** A Deno HTTP client, e.g. `Deno.createHttpClient({ caCerts: [pem] })` for a private CA. */
  client?: Deno.HttpClient;
}

/** What `call()` needs to know about one AS endpoint. */
export interface CallSpec extends CallOptions {
  /** HTTP method. */
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below the base URL, already encoded (use `path\`\``). */
  path: string;
  /** Statuses meaning success. */
  expect: readonly number[];
  /** The failure text when the server gives none, e.g. "Failed to get unit". */
  what: string;
  /** Query parameters. */
  query?: QueryParams;
  /** JSON body. */
  json?: unknown;
  /** Multipart body. */
  form?: FormData;
  /** True when success has no body worth reading (PATCH 200, DELETE 204, add-user): `{}`. */
  empty?: boolean;
}

/** Base class of `AsApi`: settings and the request helper. Use `AsApi`, not this. */
export class AsCore {
  #url: string;
  #verifySslCert: boolean;
  #transport: Transport;
  #timeoutS: number;
  #warn: (line: string) => void;
  #warned = false;

  /** Creates a client; see {@link AsApiOptions}. Never makes a request. */
  constructor(options: AsApiOptions = {}) {
    const env = asConfigFromEnv(options.env ?? processEnv());
    this.#url = trimBaseUrl(options.url ?? env.url);
    this.#verifySslCert = options.verifySslCert ?? env.verifySslCert;
    this.#timeoutS = options.timeoutS ?? 4;
    this.#warn = options.warn ?? ((line) => console.warn(line));
    const log = options.log ??
      (env.debugRequests ? (line: string) => console.error(line) : undefined);
    this.#transport = createTransport({
      name: "as",
      fetch: options.fetch,
      timeoutS: this.#timeoutS,
      deadlineS: options.deadlineS,
      attempts: options.attempts ?? 3,
      retryStatuses: options.retryStatuses,
      maxRetryAfterS: options.maxRetryAfterS,
      backoff: options.backoff,
      sleep: options.sleep,
      log,
      client: options.client,
    });
  }

  /**
   * Replaces the base URL and the TLS setting (like the Python `set_api_url`: verification
   * goes back to `true` unless `verifySslCert: false` is passed).
   *
   * Deno's `fetch` cannot skip certificate checks per request. With `verifySslCert: false`
   * on an `https` URL the client checks whether Deno runs with
   * `--unsafely-ignore-certificate-errors` for the host and otherwise warns once with the
   * exact flag to add; certificates are then still verified.
   *
   * @throws {UsageError} when `url` is empty or not an http(s) URL.
   */
  setApiUrl(url: string, options: { verifySslCert?: boolean } = {}): void {
    const trimmed = trimBaseUrl(String(url ?? ""));
    if (!/^https?:\/\/[^/]/i.test(trimmed) || !URL.canParse(trimmed)) {
      throw new UsageError(
        `Invalid AS URL "${url}": use an http(s) URL such as https://example.com/account-server-api`,
      );
    }
    this.#url = trimmed;
    this.#verifySslCert = options.verifySslCert ?? true;
    this.#warned = false;
  }

  /** The base URL (`""` when unset) and whether TLS certificates are to be verified. */
  getApiUrl(): { url: string; verifySslCert: boolean } {
    return { url: this.#url, verifySslCert: this.#verifySslCert };
  }

  /**
   * Sends one AS request and maps the outcome to an {@link ApiRv}: success when the status
   * is expected (body decoded, `{}` when empty), otherwise a failure keeping the server's
   * `{"error"}` text, or `what` plus the status or the transport's reason. Never throws for
   * HTTP or network failures.
   */
  protected async call<T>(token: string | undefined, spec: CallSpec): Promise<ApiRv<T>> {
    if (!this.#url) {
      return fail(0, "No API URL defined: set SQUONK2_ASAPI_URL or call setApiUrl()");
    }
    if (!/^https?:\/\/[^/]/i.test(this.#url) || !URL.canParse(this.#url)) {
      return fail(
        0,
        `Invalid AS URL "${redactUrl(this.#url)}": set SQUONK2_ASAPI_URL to an http(s) URL ` +
          `such as https://example.com/account-server-api`,
      );
    }
    this.#warnAboutTls();
    const headers: Record<string, string> = { accept: "application/json" };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const res = await this.#transport.request({
      method: spec.method,
      url: this.#url + spec.path,
      query: spec.query,
      json: spec.json,
      form: spec.form,
      headers,
      expect: spec.expect,
      timeoutS: spec.timeoutS ?? this.#timeoutS,
      signal: spec.signal,
      secrets: [token],
    });
    if (res.ok) {
      if (spec.empty || res.body === undefined) return ok({} as T, res.status);
      if (typeof res.body === "object" && res.body !== null && !Array.isArray(res.body)) {
        return ok(res.body as T, res.status);
      }
      return fail(res.status, `${spec.what}: the server sent a body that is not a JSON object`);
    }
    const server = res.error?.serverMessage;
    if (server && res.status !== 0) {
      // A PUT or DELETE retried after a lost answer may meet the effect of its own first
      // attempt (e.g. 404 on a second DELETE): say so rather than hide it.
      const retried = res.attempts > 1 && spec.method !== "GET" && res.status < 500
        ? ` (after ${res.attempts} attempts: an earlier attempt may have succeeded)`
        : "";
      return fail(res.status, redact(server, [token]) + retried);
    }
    if (res.status === 401) {
      return fail(401, `${spec.what} (HTTP 401): the access token was refused, get a new one`);
    }
    if (res.status !== 0 && res.error?.name === "ApiError") {
      return fail(res.status, `${spec.what} (HTTP ${res.status})`);
    }
    // A timeout or a connection lost mid-body means no complete response: status 0.
    return fail(res.status, `${spec.what}: ${res.error?.message ?? "no response"}`);
  }

  #warnAboutTls(): void {
    if (this.#verifySslCert || this.#warned) return;
    this.#warned = true;
    const warning = tlsWarning(this.#url);
    if (warning) this.#warn(warning);
  }
}

function ok<T>(msg: T, httpStatusCode: number): ApiRv<T> {
  return { success: true, msg, httpStatusCode };
}

function fail<T>(httpStatusCode: number, error: string): ApiRv<T> {
  return { success: false, msg: { error }, httpStatusCode };
}
