/**
 * One attempt of a transport request: fetch, read the whole body under the same timer,
 * and classify what happened. Used by {@link ./transport.ts}; not part of the public API.
 *
 * @module
 */

import { extractServerMessage, type ReadBody, readBody } from "./http_body.ts";
import { attemptSignal } from "./timeout.ts";

/** How an attempt ended. */
export type AttemptFailure = "ok" | "timeout" | "network" | "invalid-body" | "status" | "aborted";

/** What one attempt produced, classified for the retry decision and the error message. */
export interface AttemptOutcome {
  /** `"ok"` or the kind of failure. */
  failure: AttemptFailure;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  /** Response headers, when a response arrived. */
  headers?: Headers;
  /** The decoded body, when it could be read. */
  body?: ReadBody;
  /** The server's own error text, if the body had one. */
  serverMessage?: string;
  /** Low-level detail (fetch's error message, JSON parse error). */
  detail?: string;
  /** For timeouts: "after 4 s" or "when the 10 s deadline ran out". */
  timeoutText?: string;
  /** A remark added to the final message. */
  note?: string;
  /** The underlying error. */
  cause?: unknown;
  /** How long the attempt took. */
  durationMs: number;
}

/** Inputs of {@link runAttempt}. */
export interface AttemptInput {
  /** The full URL. */
  url: URL;
  /** Method, headers, body and client. */
  init: RequestInit & { client?: Deno.HttpClient };
  /** Milliseconds allowed for this attempt. */
  limitMs: number;
  /** True when `limitMs` is set by the overall deadline rather than the per-attempt timeout. */
  byDeadline: boolean;
  /** The overall deadline in seconds, for messages. */
  deadlineS?: number;
  /** The caller's abort signal. */
  signal?: AbortSignal;
  /** Whether a status counts as success. */
  isExpected: (status: number) => boolean;
  /** Clock in milliseconds. */
  now: () => number;
}

/** Runs one attempt; never throws. */
export async function runAttempt(
  fetchFn: typeof fetch,
  input: AttemptInput,
): Promise<AttemptOutcome> {
  const started = input.now();
  const timer = attemptSignal(input.limitMs, input.signal);
  const elapsed = () => Math.round(input.now() - started);
  const fail = (error: unknown, phase: string, status = 0, headers?: Headers): AttemptOutcome => {
    const durationMs = elapsed();
    if (timer.timedOut()) {
      const timeoutText = input.byDeadline
        ? `when the ${seconds(input.deadlineS! * 1000)} deadline ran out`
        : `after ${seconds(input.limitMs)}`;
      return { failure: "timeout", status, headers, timeoutText, cause: error, durationMs };
    }
    if (input.signal?.aborted) {
      return { failure: "aborted", status, headers, cause: error, durationMs };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      failure: "network",
      status,
      headers,
      detail: `${phase}: ${message}`,
      cause: error,
      durationMs,
    };
  };
  if (input.limitMs <= 0) {
    timer.clear();
    return {
      failure: "timeout",
      status: 0,
      timeoutText: `when the ${seconds((input.deadlineS ?? 0) * 1000)} deadline ran out`,
      durationMs: 0,
    };
  }
  let response: Response;
  try {
    response = await fetchFn(input.url, { ...input.init, signal: timer.signal });
  } catch (error) {
    timer.clear();
    return fail(error, "no response");
  }
  let body: ReadBody;
  try {
    body = await readBody(response);
  } catch (error) {
    timer.clear();
    return fail(
      error,
      "the connection dropped while reading the body",
      response.status,
      response.headers,
    );
  }
  timer.clear();
  const base = { status: response.status, headers: response.headers, body, durationMs: elapsed() };
  const expected = input.isExpected(response.status);
  if (expected && body.kind === "invalid") {
    return { ...base, failure: "invalid-body", detail: body.reason };
  }
  if (expected) return { ...base, failure: "ok" };
  return { ...base, failure: "status", serverMessage: extractServerMessage(body) };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
