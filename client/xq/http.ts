/**
 * The XQ client's HTTP layer over the shared transport: the `api-key` header, the bearer
 * token of the call, and turning a failed exchange into an {@link XqError} whose message
 * says what failed and what to do (credentials redacted).
 *
 * @module
 */

import { XqError } from "../errors.ts";
import { redact } from "../redact.ts";
import type { BackoffOptions } from "../transport/retry.ts";
import type { SleepFn } from "../transport/timeout.ts";
import {
  createTransport,
  type Transport,
  type TransportRequest,
  type TransportResult,
} from "../transport/transport.ts";
import type { XqConfig } from "./config.ts";
import { serverText, tokenFromReply } from "./wire.ts";

/**
 * Transport settings the XQ client accepts; a subset of the shared transport's options,
 * with the XQ defaults.
 */
export interface XqTransportOptions {
  /** The fetch to call (default `globalThis.fetch`); inject one in tests. */
  fetch?: typeof fetch;
  /**
   * Read timeout in seconds (default 30, the Python SDK's): the longest wait for the response
   * headers and for each next chunk of the body.
   */
  timeoutS?: number;
  /** Overall deadline of one call in seconds, retries and pauses included (default 300). */
  deadlineS?: number;
  /** Attempts for idempotent requests, the first included (default 3); POST is sent once. */
  attempts?: number;
  /** Receives one redacted line per attempt; absent means no logging. */
  log?: (line: string) => void;
  /** Backoff schedule and random source (default 300 ms × 2^(n−1), cap 5 s, equal jitter). */
  backoff?: BackoffOptions;
  /** The pause function (default a real timer); inject one to test without waiting. */
  sleep?: SleepFn;
  /** A Deno HTTP client (e.g. from `Deno.createHttpClient({ caCerts })`) for every request. */
  client?: Deno.HttpClient;
}

/** Which XQ host a call goes to. */
export type XqService = "subscription" | "validation";

/** One XQ call: the transport request without its URL, plus the service and path. */
export interface XqRequest extends Omit<TransportRequest, "url"> {
  service: XqService;
  /** Path after `/v2`, already encoded, e.g. `/key/abc%2Bdef`. */
  path: string;
  /** Bearer token for this call, if any. */
  token?: string;
  /**
   * The reply is a token: a 2xx body labelled JSON that is not JSON (a bare token) is
   * accepted as text, as XQ's own SDKs do.
   */
  tokenReply?: boolean;
}

/** How to describe a failed call. */
export interface XqFailureText {
  /** What failed, e.g. `Packet creation failed`; may depend on the status. */
  what: string | ((status: number) => string);
  /** What to do about it, by status; a generic hint when absent. */
  fix?: (status: number) => string | undefined;
}

/** Sends XQ calls and classifies failures. */
export interface XqHttp {
  /** Sends `req`; returns the result when successful, throws otherwise. */
  send(req: XqRequest, failure: XqFailureText): Promise<TransportResult>;
  /** Text to hide from messages: keys plus whatever tokens the caller holds now. */
  redact(text: string, tokens?: readonly (string | undefined)[]): string;
}

/** Creates the HTTP layer for `config` (a transport of its own, named "xq"). */
export function createXqHttp(config: XqConfig, options: XqTransportOptions = {}): XqHttp {
  const keys = [config.apiKey, config.dashboardApiKey];
  const transport: Transport = createTransport({
    timeoutS: 30, // the Python SDK's POST timeout; the JS SDK uses 60 s
    attempts: 3,
    ...options,
    name: "xq",
    secrets: keys,
    httpError: (message, details) => new XqError(message, details),
  });
  const hide = (text: string, tokens: readonly (string | undefined)[] = []) =>
    redact(text, [...keys, ...tokens]);

  async function send(req: XqRequest, failure: XqFailureText): Promise<TransportResult> {
    const base = req.service === "subscription" ? config.subscriptionUrl : config.validationUrl;
    const headers: Record<string, string> = { "api-key": config.apiKey, ...req.headers };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    const { service: _s, path, token, tokenReply, ...rest } = req;
    const result = await transport.request({
      ...rest,
      url: base + path,
      headers,
      secrets: [...(req.secrets ?? []), token],
      // A bare token labelled application/json is a token, not a broken body.
      textIfNotJson: tokenReply,
    });
    if (result.ok) return result;
    // No response (network, timeout, abort): the transport's error already says what to do.
    if (result.status === 0 && result.error) throw result.error;
    const status = result.status;
    const hidden = [token, ...(req.secrets ?? [])];
    const server = serverText(result.body, result.text);
    const what = typeof failure.what === "function" ? failure.what(status) : failure.what;
    const fix = failure.fix?.(status) ?? genericFix(status);
    // The URL is redacted already; redact the other parts on their own so a redacted
    // query value cannot swallow the text that follows it.
    const said = server && !server.toLowerCase().startsWith(what.toLowerCase())
      ? `: ${hide(server, hidden)}`
      : "";
    const message = `${hide(what, hidden)} (HTTP ${status}, ${result.method} ${result.url})` +
      `${said}${fix ? `: ${fix}` : ""}`;
    throw new XqError(message, {
      status,
      method: result.method,
      url: result.url,
      serverMessage: server ? hide(server, hidden) : undefined,
      cause: result.error,
    });
  }

  return { send, redact: hide };
}

function genericFix(status: number): string | undefined {
  if (status === 401) return "check XQ_API_KEY and authenticate again";
  if (status >= 500) return "the XQ service failed; try again later";
  return undefined;
}

/**
 * The token in a successful reply: plain text, a JSON string, a bare token labelled JSON, or
 * `{"exchange"|"token": ...}`; an XqError when empty.
 */
export function replyToken(res: TransportResult, what: string): string {
  const token = tokenFromReply(res.body, res.text);
  if (token) return token;
  throw new XqError(`${what} returned no token (HTTP ${res.status}): check the XQ service URLs`, {
    status: res.status,
    method: res.method,
    url: res.url,
  });
}
