/**
 * One attempt of a transport request: fetch, read the body chunk by chunk, and classify
 * what happened. Two clocks run: the read timeout bounds the wait for the response headers
 * and then each wait for the next body chunk (restarted by every chunk, like the read
 * timeout of Python `requests`), and the call's overall deadline bounds everything. Used by
 * {@link ./transport.ts}; not part of the public API.
 *
 * @module
 */

import { decodeBody, extractServerMessage, type ReadBody, readBodyText } from "./http_body.ts";
import { attemptTimers, type ExpiredTimer, untilAborted } from "./timeout.ts";

/** How an attempt ended. */
export type AttemptFailure = "ok" | "timeout" | "network" | "invalid-body" | "status" | "aborted";

/** Where a timed-out attempt was waiting when its clock ran out. */
export interface TimeoutWait {
  /** The clock that ran out: the read timeout or the call's overall deadline. */
  timer: ExpiredTimer;
  /** `"headers"`: no response yet; `"body"`: the headers came, the body did not finish. */
  phase: "headers" | "body";
  /** Body bytes received before the clock ran out. */
  bytes: number;
  /** The body's `Content-Length`, when the server sent one. */
  expectedBytes?: number;
}

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
  /**
   * For timeouts: which wait ran out, e.g. "after 4 s waiting for the response headers" or
   * "when the 300 s deadline ran out while reading the body".
   */
  timeoutText?: string;
  /** For timeouts: the clock, the phase and the bytes received. */
  wait?: TimeoutWait;
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
  /** Longest wait for the headers and for each body chunk, in ms (`Infinity`: none). */
  readMs: number;
  /** Time left before the call's overall deadline, in ms (`Infinity`: none). */
  deadlineMs: number;
  /** The overall deadline in seconds, for messages. */
  deadlineS?: number;
  /** The caller's abort signal. */
  signal?: AbortSignal;
  /** Whether a status counts as success. */
  isExpected: (status: number) => boolean;
  /** An expected answer labelled JSON that does not parse is text, not a broken body. */
  textIfNotJson?: boolean;
  /** Clock in milliseconds. */
  now: () => number;
}

/** Runs one attempt; never throws. */
export async function runAttempt(
  fetchFn: typeof fetch,
  input: AttemptInput,
): Promise<AttemptOutcome> {
  const started = input.now();
  const elapsed = () => Math.round(input.now() - started);
  if (input.deadlineMs <= 0) {
    const wait: TimeoutWait = { timer: "deadline", phase: "headers", bytes: 0 };
    return {
      failure: "timeout",
      status: 0,
      wait,
      timeoutText: `when the ${seconds((input.deadlineS ?? 0) * 1000)} deadline ran out`,
      durationMs: 0,
    };
  }
  const timers = attemptTimers({
    readMs: input.readMs,
    deadlineMs: input.deadlineMs,
    signal: input.signal,
  });
  const wait: Omit<TimeoutWait, "timer"> = { phase: "headers", bytes: 0 };
  const fail = (error: unknown, phase: string, status = 0, headers?: Headers): AttemptOutcome => {
    const durationMs = elapsed();
    const timer = timers.expired();
    if (timer) {
      const full: TimeoutWait = { ...wait, timer };
      const timeoutText = describeWait(full, input);
      return {
        failure: "timeout",
        status,
        headers,
        timeoutText,
        wait: full,
        cause: error,
        durationMs,
      };
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

  try {
    let response: Response;
    let pending: Promise<Response>;
    try {
      pending = fetchFn(input.url, { ...input.init, signal: timers.signal });
    } catch (error) {
      pending = Promise.reject(error); // an injected fetch that throws instead of rejecting
    }
    try {
      response = await untilAborted(pending, timers.signal);
    } catch (error) {
      // A fetch that ignored the abort and answers later: release its body.
      pending.then((late) => late.body?.cancel().catch(() => {}), () => {});
      return fail(error, "no response");
    }
    wait.phase = "body";
    const length = Number(response.headers.get("content-length") ?? NaN);
    if (Number.isSafeInteger(length) && length >= 0) wait.expectedBytes = length;
    timers.touch();
    let text: string;
    try {
      text = await readBodyText(response, {
        signal: timers.signal,
        onChunk: (bytes) => {
          wait.bytes += bytes;
          timers.touch();
        },
      });
    } catch (error) {
      return fail(
        error,
        "the connection dropped while reading the body",
        response.status,
        response.headers,
      );
    }
    timers.clear();
    const decoded = decodeBody(text, response.headers.get("content-type"));
    const body: ReadBody = decoded.kind === "invalid" && input.textIfNotJson &&
        input.isExpected(response.status)
      ? { kind: "text", text: decoded.text }
      : decoded;
    const base = {
      status: response.status,
      headers: response.headers,
      body,
      durationMs: elapsed(),
    };
    const expected = input.isExpected(response.status);
    if (expected && body.kind === "invalid") {
      return { ...base, failure: "invalid-body", detail: body.reason };
    }
    if (expected) return { ...base, failure: "ok" };
    return { ...base, failure: "status", serverMessage: extractServerMessage(body) };
  } finally {
    timers.clear();
  }
}

/** Says which wait ran out, e.g. "after 4 s waiting for the next body chunk". */
function describeWait(wait: TimeoutWait, input: AttemptInput): string {
  if (wait.timer === "deadline") {
    const where = wait.phase === "headers"
      ? "while waiting for the response headers"
      : "while reading the body";
    return `when the ${seconds((input.deadlineS ?? 0) * 1000)} deadline ran out ${where}`;
  }
  const what = wait.phase === "headers"
    ? "the response headers"
    : wait.bytes === 0
    ? "the first body chunk"
    : "the next body chunk";
  return `after ${seconds(input.readMs)} waiting for ${what}`;
}

/** How much of the body had arrived, e.g. "10 of 99 bytes received"; none before the headers. */
export function receivedText(wait: TimeoutWait | undefined): string | undefined {
  if (!wait || wait.phase !== "body") return undefined;
  const of = wait.expectedBytes === undefined ? "" : ` of ${wait.expectedBytes}`;
  return `${wait.bytes}${of} bytes received`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
