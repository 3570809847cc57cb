/**
 * The HTTP transport shared by the AS, Keycloak and XQ clients: a read timeout (for the
 * response headers and for each next body chunk, so a large body that keeps arriving is
 * never cut), an overall deadline per call, retries of idempotent requests with backoff
 * and `Retry-After`, and a redacted one-line-per-attempt debug log. It never throws for
 * HTTP or network failures: every outcome is a {@link TransportResult}; a failed one
 * carries a classified error ({@link TimeoutError}, {@link NetworkError} or
 * {@link ApiError}) for the caller to return or throw.
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
} from "../errors.ts";
import { redact, redactUrl } from "../redact.ts";
import { type ReadBody, withQuery } from "./http_body.ts";
import { DEFAULT_RETRY_STATUSES, isIdempotent } from "./retry.ts";
import { sleep as realSleep } from "./timeout.ts";
import { type AttemptOutcome, receivedText, runAttempt } from "./_attempt.ts";
import { planRetry } from "./_plan.ts";

import type { Transport, TransportOptions, TransportRequest, TransportResult } from "./types.ts";

export type { QueryParams } from "./http_body.ts";
export type { BackoffOptions } from "./retry.ts";
export type { SleepFn } from "./timeout.ts";
export type { Transport, TransportOptions, TransportRequest, TransportResult } from "./types.ts";

/**
 * Default read timeout of a transport, in seconds: the longest wait for the response
 * headers and for each next chunk of the body. Clients set their own (AS 4, the Python
 * client's; Keycloak 10; XQ 30).
 */
export const DEFAULT_TIMEOUT_S = 10;

/**
 * Default overall deadline of one call, in seconds, retries and pauses included; the AS
 * client (and Keycloak and XQ) get it when no `deadlineS` is given.
 *
 * Why 300 s: the read timeout already ends a call whose server stops sending, so the
 * deadline only has to stop a body that trickles forever, and must not cut a large export
 * that is still arriving. A charges answer of a big organisation is several MB; over a slow
 * link (1 Mbit/s, ~125 kB/s) 20 MB takes ~160 s, and a 10 MB body that fails once mid-way
 * still has time for the retry. Five minutes is also the most a scheduled run should hang
 * on one call. The Python client has no overall limit at all (only `requests`' per-read
 * timeout). Pass a larger `deadlineS` for bigger answers, or `Infinity` for none.
 */
export const DEFAULT_DEADLINE_S = 300;

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
    const timeoutS = seconds("timeoutS", req.timeoutS ?? options.timeoutS ?? DEFAULT_TIMEOUT_S);
    const deadlineS = seconds(
      "deadlineS",
      req.deadlineS ?? options.deadlineS ?? DEFAULT_DEADLINE_S,
    );
    const readMs = timeoutS * 1000;
    const started = now();
    const deadline = started + deadlineS * 1000;
    const errorOf = options.httpError ??
      ((message: string, details: ApiErrorDetails) => new ApiError(message, details));

    let attempt = 0;
    for (;;) {
      attempt++;
      const outcome = await runAttempt(fetchFn, {
        url,
        init: { method, headers, body, redirect: "follow", client: options.client },
        readMs,
        deadlineMs: deadline - now(),
        deadlineS,
        signal: req.signal,
        isExpected,
        textIfNotJson: req.textIfNotJson,
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
        deadlineS,
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
    case "timeout": {
      const about = [
        receivedText(outcome.wait),
        attempts > 1 ? `${attempts} attempts` : "",
        outcome.note,
        note,
      ].filter(Boolean).join(", ");
      const fix = outcome.wait?.timer === "deadline"
        ? outcome.wait.phase === "body"
          ? "the body was still arriving; raise deadlineS for large answers over slow links"
          : "raise deadlineS or check that the server is responding"
        : "raise timeoutS or check that the server is responding";
      return `${method} ${url} timed out ${outcome.timeoutText}` +
        `${about ? ` (${about})` : ""}: ${fix}`;
    }
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

/**
 * Checks a duration option: a number of seconds greater than 0 (`Infinity` allowed, for
 * no limit). Anything else would make every call time out at once, so it is a usage error.
 */
function seconds(name: string, value: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new UsageError(
      `Invalid ${name} ${String(value)}: use a number of seconds greater than 0 ` +
        `(Infinity for no limit)`,
    );
  }
  return value;
}
