/**
 * The HTTP transport shared by the AS client and the XQ client: per-attempt timeouts, an
 * overall deadline, retries of idempotent requests with backoff and `Retry-After`, and a
 * redacted one-line-per-attempt debug log. It never throws for HTTP or network failures:
 * every outcome is a {@link TransportResult}; a failed one carries a classified error
 * ({@link TimeoutError}, {@link NetworkError} or {@link ApiError}) for the caller to
 * return or throw.
 *
 * @example
 * ```ts
 * const http = createTransport({ timeoutS: 4, attempts: 3 });
 * const res = await http.request({
 *   method: "GET",
 *   url: "https://example.com/account-server-api/version",
 *   expect: [200],
 * });
 * if (res.ok) console.log(res.body); else console.error(res.error?.message);
 * ```
 *
 * @module
 */

import {
  ApiError,
  type ApiErrorDetails,
  NetworkError,
  TimeoutError,
  UsageError,
} from "./errors.ts";
import { redact, redactUrl } from "./redact.ts";
import { type ReadBody, withQuery } from "./http_body.ts";
import { DEFAULT_RETRY_STATUSES, isIdempotent } from "./retry.ts";
import { sleep as realSleep } from "./timeout.ts";
import { type AttemptOutcome, runAttempt } from "./transport_attempt.ts";
import { planRetry } from "./transport_plan.ts";

import type {
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResult,
} from "./transport_types.ts";

export type { QueryParams } from "./http_body.ts";
export type { BackoffOptions } from "./retry.ts";
export type { SleepFn } from "./timeout.ts";
export type {
  Transport,
  TransportOptions,
  TransportRequest,
  TransportResult,
} from "./transport_types.ts";

/** Headers whose values are credentials, redacted from every log line and message. */
const SENSITIVE_HEADER = /auth|key|token|secret|cookie|session|password|pin/i;

/** Creates a transport with the given defaults (see {@link TransportOptions}). */
export function createTransport(options: TransportOptions = {}): Transport {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? realSleep;
  const name = options.name ?? "http";

  async function request(req: TransportRequest): Promise<TransportResult> {
    const method = req.method.toUpperCase();
    if (!URL.canParse(req.url)) {
      throw new UsageError(`Invalid URL "${redact(String(req.url))}": use an absolute http(s) URL`);
    }
    const url = withQuery(req.url, req.query);
    const headers = new Headers(options.headers);
    for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);
    const secrets = [
      ...(options.secrets ?? []),
      ...(req.secrets ?? []),
      ...[...headers].filter(([k]) => SENSITIVE_HEADER.test(k))
        .map(([, v]) => v.replace(/^(Bearer|Basic)\s+/i, "")),
    ];
    const shown = redact(redactUrl(url), secrets);
    let body: BodyInit | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers.set("content-type", "application/json");
    } else if (req.form !== undefined) {
      body = req.form; // fetch sets multipart boundary or urlencoded type itself
    }
    const expect = req.expect;
    const isExpected = (s: number) => expect ? expect.includes(s) : s >= 200 && s < 300;
    const retryable = req.retry ?? isIdempotent(method);
    // A stream body can be read only once, so it is never sent twice.
    const replayable = !(body instanceof ReadableStream);
    const maxAttempts = retryable && replayable
      ? Math.max(1, req.attempts ?? options.attempts ?? 3)
      : 1;
    const timeoutMs = (req.timeoutS ?? options.timeoutS ?? 10) * 1000;
    const deadlineS = req.deadlineS ?? options.deadlineS;
    const started = now();
    const deadline = deadlineS === undefined ? Infinity : started + deadlineS * 1000;
    const errorOf = options.httpError ??
      ((message: string, details: ApiErrorDetails) => new ApiError(message, details));

    let attempt = 0;
    for (;;) {
      attempt++;
      const remaining = deadline - now();
      const limitMs = Math.min(timeoutMs, remaining);
      const outcome = await runAttempt(fetchFn, {
        url,
        init: { method, headers, body, redirect: "follow", client: options.client },
        limitMs,
        byDeadline: remaining < timeoutMs,
        deadlineS,
        signal: req.signal,
        isExpected,
        now,
      });
      const what = outcome.failure === "ok" || outcome.failure === "status"
        ? String(outcome.status)
        : [outcome.status || "", outcome.failure].filter(Boolean).join(" ");
      const line = `[${name}] ${method} ${shown} -> ${what} ` +
        `attempt ${attempt}/${maxAttempts} ${outcome.durationMs} ms`;
      options.log?.(redact(line, secrets));

      // Only a complete response has a status: a timeout, a dropped connection or a broken
      // body after the headers report 0, like no response at all.
      const complete = outcome.failure === "ok" || outcome.failure === "status";
      const status = complete ? outcome.status : 0;
      const result = (error?: ApiError): TransportResult => ({
        ok: error === undefined,
        status,
        body: bodyValue(outcome.body),
        text: outcome.body?.text ?? "",
        headers: outcome.headers ?? new Headers(),
        attempts: attempt,
        durationMs: now() - started,
        method,
        url: shown,
        error,
      });
      if (outcome.failure === "ok") return result();

      const plan = planRetry(outcome, {
        attempt,
        maxAttempts,
        retryStatuses: options.retryStatuses ?? DEFAULT_RETRY_STATUSES,
        retryOnTimeout: options.retryOnTimeout ?? true,
        maxRetryAfterMs: (options.maxRetryAfterS ?? 30) * 1000,
        backoff: options.backoff,
        now: now(),
        deadline,
      });
      if (plan.retry) {
        try {
          await pause(plan.delayMs, req.signal);
          continue;
        } catch {
          outcome.note = "the caller aborted while waiting to retry";
        }
      }
      const message = redact(describe(method, shown, outcome, attempt, plan.note), secrets);
      const details: ApiErrorDetails = {
        status,
        method,
        url: shown,
        serverMessage: outcome.serverMessage ? redact(outcome.serverMessage, secrets) : undefined,
        cause: outcome.cause,
      };
      const error = outcome.failure === "timeout"
        ? new TimeoutError(message, details)
        : outcome.failure === "status"
        ? errorOf(message, details)
        : new NetworkError(message, details);
      return result(error);
    }
  }
  return { request };
}

function bodyValue(body: ReadBody | undefined): unknown {
  if (!body || body.kind === "empty") return undefined;
  if (body.kind === "json") return body.value;
  return body.text;
}

function describe(
  method: string,
  url: string,
  outcome: AttemptOutcome,
  attempts: number,
  note: string | undefined,
): string {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const extra = [outcome.note, note].filter(Boolean).join("; ");
  const suffix = extra ? ` (${extra})` : "";
  switch (outcome.failure) {
    case "timeout":
      return `${method} ${url} timed out ${outcome.timeoutText}` +
        `${attempts > 1 ? ` (${attempts} attempts)` : ""}${suffix}: ` +
        `raise timeoutS or check that the server is responding`;
    case "status": {
      const server = outcome.serverMessage ? `: ${outcome.serverMessage}` : "";
      return `${method} ${url} returned HTTP ${outcome.status}${tries}${server}${suffix}`;
    }
    case "invalid-body":
      return `${method} ${url} returned HTTP ${outcome.status} with a body that is not valid ` +
        `JSON${tries} (${outcome.detail})${suffix}: the response was truncated or corrupt, try again`;
    case "aborted":
      return `${method} ${url} was aborted by the caller${suffix}`;
    default:
      return `${method} ${url} failed${tries}: ${outcome.detail}${suffix}: ` +
        `check the URL and that the server is reachable`;
  }
}
