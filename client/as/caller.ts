/**
 * The one generic caller behind every `AsApi` method: it holds the configuration (URL,
 * TLS, transport with timeouts, retries and logging), runs any entry of the endpoint table
 * and turns the outcome into an {@link ApiRv}:
 *
 * - an expected status: the body is validated against the entry's response schema (or is
 *   `{}` for entries without a body); a body that does not fit is a failure carrying a
 *   {@link ProtocolError};
 * - an unexpected status: a failure with the server's `{"error"}` text (or the entry's
 *   Python failure text and the status), carrying an {@link ApiError};
 * - no complete response: status 0, carrying a {@link TimeoutError} or a
 *   {@link NetworkError}.
 *
 * @module
 */

import type { z } from "zod";
import { type ApiRv, rvFailure, rvSuccess } from "./api_rv.ts";
import { asConfigFromEnv, tlsWarning, trimBaseUrl } from "./config.ts";
import { processEnv } from "../env.ts";
import {
  ApiError,
  type ApiErrorDetails,
  NetworkError,
  ProtocolError,
  TimeoutError,
  UsageError,
} from "../errors.ts";
import type { QueryParams } from "../transport/http_body.ts";
import { redact, redactUrl } from "../redact.ts";
import { createTransport } from "../transport/transport.ts";
import type { Transport, TransportResult } from "../transport/types.ts";
import { type CallOptions, requireToken } from "./args.ts";
import type { PathParamNames, PathParams, ResponseOf } from "./endpoint_types.ts";
import { type EndpointName, ENDPOINTS } from "./endpoints.ts";
import type { AsApiOptions } from "./options.ts";
import { RESPONSE_SCHEMAS } from "./schemas.ts";
import { checkAnswer, checkNoBody } from "./validate.ts";

type Entry<N extends EndpointName> = (typeof ENDPOINTS)[N];

/**
 * The arguments of one call of endpoint `N`, as its table entry demands: `params` for each
 * `{name}` of its route, and `query`, `json` or `form` by its request encoding.
 */
export type CallRequest<N extends EndpointName> =
  & ([PathParamNames<Entry<N>["route"]>] extends [never] ? { params?: never }
    : { params: PathParams<Entry<N>> })
  & (Entry<N>["request"] extends "query" ? { query: QueryParams }
    : Entry<N>["request"] extends "json" ? { json: unknown }
    : Entry<N>["request"] extends "multipart" ? { form: FormData }
    : Record<never, never>);

/** The validated body type of endpoint `N`. */
export type AnswerOf<N extends EndpointName> = ResponseOf<Entry<N>>;

/** Configuration and the generic request runner of `AsApi`. Use `AsApi`, not this. */
export class AsCaller {
  #url: string;
  #verifySslCert: boolean;
  #transport: Transport;
  #timeoutS: number;
  #warn: (line: string) => void;
  #warned = false;
  #sandboxAnswers = 0;
  #hints: FailureHints;

  /** Creates a caller; see {@link AsApiOptions}. Never makes a request. */
  constructor(options: AsApiOptions = {}) {
    const env = asConfigFromEnv(options.env ?? processEnv());
    this.#url = trimBaseUrl(options.url ?? env.url);
    this.#verifySslCert = options.verifySslCert ?? env.verifySslCert;
    this.#timeoutS = options.timeoutS ?? env.timeoutS ?? 4;
    // What a user can change when an answer is too slow, or a token is refused.
    this.#hints = {
      timeout: options.timeoutS === undefined
        ? `raise SQUONK2_ASAPI_TIMEOUT_S (seconds, now ${this.#timeoutS})`
        : "raise timeoutS",
      tokenOrigin: options.tokenOrigin,
    };
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
   * Replaces the base URL and the TLS setting (verification goes back to `true` unless
   * `verifySslCert: false` is passed).
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
   * Runs endpoint `name` of the table with `request` and maps the outcome to an `ApiRv`.
   * Never throws for HTTP, network or protocol failures.
   *
   * @throws {UsageError} when the endpoint needs a token and `token` is empty.
   */
  async call<N extends EndpointName>(
    name: N,
    token: string | undefined,
    request: CallRequest<N>,
    options: CallOptions = {},
  ): Promise<ApiRv<AnswerOf<N>>> {
    const entry: Entry<N> = ENDPOINTS[name];
    const sendsToken = !("token" in entry && entry.token === false);
    const bearer = sendsToken ? requireToken(token, name) : undefined;
    if (!this.#url) {
      return failed(0, "No API URL defined: set SQUONK2_ASAPI_URL or call setApiUrl()");
    }
    if (!/^https?:\/\/[^/]/i.test(this.#url) || !URL.canParse(this.#url)) {
      return failed(
        0,
        `Invalid AS URL "${redactUrl(this.#url)}": set SQUONK2_ASAPI_URL to an http(s) URL ` +
          `such as https://example.com/account-server-api`,
      );
    }
    this.#warnAboutTls();
    const [verb, template] = entry.route.split(" ", 2);
    const path = expandPath(template, (request as { params?: PathParams<Entry<N>> }).params);
    const body = request as { query?: QueryParams; json?: unknown; form?: FormData };
    const query = entry.request === "query" ? body.query : undefined;
    const headers: Record<string, string> = { accept: "application/json" };
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    const res = await this.#transport.request({
      method: verb,
      url: this.#url + path,
      query,
      json: entry.request === "json" ? body.json : undefined,
      form: entry.request === "multipart" ? body.form : undefined,
      headers,
      expect: entry.expect,
      timeoutS: options.timeoutS ?? this.#timeoutS,
      signal: options.signal,
      secrets: [bearer],
    });
    const endpoint = redact(`${verb} ${path}${queryText(query)}`, [bearer]);
    if (isSandboxAnswer(res.headers)) this.#sandboxAnswers++;
    if (!res.ok) return failure(name, entry, res, bearer, this.#hints);
    const answer = {
      body: res.body,
      text: res.text,
      contentType: res.headers.get("content-type") ?? "",
    };
    const checked = entry.response === "no body"
      ? checkNoBody(answer)
      : checkAnswer(RESPONSE_SCHEMAS[entry.response] as z.ZodType<unknown>, answer);
    if (checked.ok) {
      // Endpoints without a documented body answer `{}`, as the Python client does.
      const value = entry.response === "no body" ? {} : checked.value;
      return rvSuccess(value as AnswerOf<N>, res.status);
    }
    const at = checked.path ? `${checked.path}: ` : "";
    const expected = entry.response === "no body"
      ? "where none is expected"
      : `that is not ${entry.response}`;
    const message = `${name}: AS answered ${endpoint} with a body ${expected}: ` +
      `${at}${checked.problem}`;
    const error = new ProtocolError(message, {
      status: res.status,
      method: verb,
      url: res.url,
      schema: entry.response,
      path: checked.path,
      problem: checked.problem,
    });
    return rvFailure(res.status, message, error);
  }

  /**
   * True when any answer this caller received carried the sandbox's marker header
   * (`X-Squonk2-Sandbox: 1`): data read through it is simulated.
   */
  answeredBySandbox(): boolean {
    return this.#sandboxAnswers > 0;
  }

  #warnAboutTls(): void {
    if (this.#verifySslCert || this.#warned) return;
    this.#warned = true;
    const warning = tlsWarning(this.#url);
    if (warning) this.#warn(warning);
  }
}

/**
 * The failure of a call whose transport did not succeed: the server's error text when it
 * sent one, otherwise the entry's failure text with the status or the transport's reason;
 * the classified error keeps the transport's class (timeout, network, HTTP status).
 */
/** What a failure's message advises, as the caller was configured. */
interface FailureHints {
  /** The fix for a timeout, e.g. "raise SQUONK2_ASAPI_TIMEOUT_S (seconds, now 4)". */
  timeout: string;
  /** Where the token came from (e.g. `SQUONK2_ASAPI_TOKEN`), for a 401. */
  tokenOrigin?: string;
}

function failure(
  name: EndpointName,
  entry: { route: string; what: string },
  res: TransportResult,
  bearer: string | undefined,
  hints: FailureHints,
): ApiRv<never> {
  const status = res.status;
  const server = res.error?.serverMessage;
  const refused = hints.tokenOrigin === undefined
    ? "the access token was refused, get a new one"
    : `the access token in ${hints.tokenOrigin} was refused: set a valid one there, or unset ` +
      `it and configure SQUONK2_KEYCLOAK_* to get tokens from Keycloak`;
  let text: string;
  if (server && status !== 0) {
    // A PUT or DELETE retried after a lost answer may meet the effect of its own first
    // attempt (e.g. 404 on a second DELETE): say so rather than hide it.
    const retried = res.attempts > 1 && !entry.route.startsWith("GET ") && status < 500
      ? ` (after ${res.attempts} attempts: an earlier attempt may have succeeded)`
      : "";
    text = redact(server, [bearer]) + retried;
    if (status === 401 && hints.tokenOrigin !== undefined) text += ` (${refused})`;
  } else if (status === 401) {
    text = `${entry.what} (HTTP 401): ${refused}`;
  } else if (status !== 0 && res.error?.name === "ApiError") {
    text = `${entry.what} (HTTP ${status})`;
  } else {
    // A timeout or a connection lost mid-body means no complete response: status 0.
    text = `${entry.what}: ${
      (res.error?.message ?? "no response").replace("raise timeoutS", hints.timeout)
    }`;
  }
  const where = status === 0 ? "no response" : `HTTP ${status}`;
  const details: ApiErrorDetails = {
    status,
    method: res.method,
    url: res.url,
    serverMessage: server ? redact(server, [bearer]) : undefined,
    cause: res.error,
  };
  const message = `AsApi.${name} failed (${where}): ${text}`;
  const error = res.error instanceof TimeoutError
    ? new TimeoutError(message, details)
    : res.error instanceof NetworkError
    ? new NetworkError(message, details)
    : new ApiError(message, details);
  return rvFailure(status, text, error);
}

/**
 * The header the sandbox (sandbox/gateway.ts) sets on every answer; the client cannot
 * import the sandbox, so the name is repeated here.
 */
export const SANDBOX_ANSWER_HEADER = "x-squonk2-sandbox";

/** True when response headers carry the sandbox's marker (`X-Squonk2-Sandbox: 1`). */
export function isSandboxAnswer(headers: Headers | undefined): boolean {
  return headers?.get(SANDBOX_ANSWER_HEADER)?.trim() === "1";
}

/** A failure before any request (no or bad URL): status 0 and an `ApiError`. */
function failed(status: number, text: string): ApiRv<never> {
  return rvFailure(status, text, new ApiError(text, { status }));
}

/** Fills `{name}` placeholders of a path template with URL-encoded values. */
export function expandPath(
  template: string,
  params: Readonly<Record<string, string | number>> | undefined,
): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const value = params?.[key];
    if (value === undefined) throw new UsageError(`Missing path parameter "${key}" of ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=2` for the defined query values (`""` when none), for messages. */
function queryText(query: QueryParams | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
