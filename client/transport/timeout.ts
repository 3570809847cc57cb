/**
 * Timers for the transport: the two clocks of one attempt (a read timer restarted by every
 * sign of progress, and the call's overall deadline) merged with the caller's own abort
 * signal, a race that stops waiting on a promise when a signal aborts, and an abortable
 * sleep. Every timer is cleared, so Deno's test sanitizers stay quiet.
 *
 * @module
 */

/**
 * The longest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days); a longer one would
 * fire at once, so such a timer is simply not started.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Which clock of an attempt ran out. */
export type ExpiredTimer = "read" | "deadline";

/** Settings of {@link attemptTimers}. */
export interface AttemptTimerOptions {
  /**
   * Longest wait for the next sign of progress (the response headers, then each body
   * chunk), in milliseconds; `Infinity` for none.
   */
  readMs: number;
  /** Time left before the call's overall deadline, in milliseconds; `Infinity` for none. */
  deadlineMs: number;
  /** The caller's abort signal. */
  signal?: AbortSignal;
}

/** The clocks of one attempt and the signal they abort. */
export interface AttemptTimers {
  /** Pass to `fetch` and to body reads; aborts when a clock runs out or the caller aborts. */
  signal: AbortSignal;
  /** Which clock ran out, or `undefined` when none did (yet). */
  expired(): ExpiredTimer | undefined;
  /** Restarts the read timer: call when the headers or a body chunk arrived. */
  touch(): void;
  /** Stops both clocks; call once the attempt is over, whatever its outcome. */
  clear(): void;
}

/**
 * Starts the clocks of one attempt: the read timer (aborts after `readMs` without
 * {@link AttemptTimers.touch}) and the deadline timer (aborts after `deadlineMs`). The
 * abort reason is a `TimeoutError` DOMException naming the clock; a caller abort passes
 * through unchanged. Timers of our own (rather than `AbortSignal.timeout`) so they can be
 * restarted and cleared at once.
 */
export function attemptTimers(options: AttemptTimerOptions): AttemptTimers {
  const controller = new AbortController();
  let expired: ExpiredTimer | undefined;
  const fire = (which: ExpiredTimer) => () => {
    if (controller.signal.aborted) return;
    expired = which;
    const what = which === "read" ? "The read timeout ran out" : "The deadline ran out";
    controller.abort(new DOMException(what, "TimeoutError"));
  };
  const start = (ms: number, which: ExpiredTimer) =>
    Number.isFinite(ms) && ms <= MAX_TIMER_MS
      ? setTimeout(fire(which), Math.max(0, ms))
      : undefined;
  let readTimer = start(options.readMs, "read");
  const deadlineTimer = start(options.deadlineMs, "deadline");
  let cleared = false;
  const signal = options.signal
    ? AbortSignal.any([controller.signal, options.signal])
    : controller.signal;
  return {
    signal,
    expired: () => expired,
    touch: () => {
      if (cleared || controller.signal.aborted) return;
      clearTimeout(readTimer);
      readTimer = start(options.readMs, "read");
    },
    clear: () => {
      cleared = true;
      clearTimeout(readTimer);
      clearTimeout(deadlineTimer);
    },
  };
}

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts,
 * whichever comes first. A later rejection of `promise` is then ignored (never an
 * unhandled rejection). Use it so that a clock stops the wait even when the awaited
 * operation ignores the signal (an injected fetch, a stream that does not abort).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A sleep function: resolves after `ms`, rejects with the signal's reason if it aborts. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Resolves after `ms` milliseconds; rejects early (and clears the timer) if `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
