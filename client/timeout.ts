/**
 * Timers for the transport: a per-attempt abort signal merged with the caller's own signal,
 * and an abortable sleep. Both clear their timers, so Deno's test sanitizers stay quiet.
 *
 * @module
 */

/** A signal that aborts when the attempt's time is up or the caller aborts. */
export interface AttemptSignal {
  /** Pass to `fetch`; it also bounds reading the body. */
  signal: AbortSignal;
  /** True when the abort came from the timer rather than from the caller. */
  timedOut(): boolean;
  /** Stops the timer; call once the body has been read or the attempt failed. */
  clear(): void;
}

/**
 * Creates the signal of one attempt: aborts after `timeoutMs` (with a `TimeoutError`
 * DOMException as reason) or as soon as `callerSignal` aborts, whichever is first.
 * A timer of our own (rather than `AbortSignal.timeout`) so it can be cleared at once.
 */
export function attemptSignal(timeoutMs: number, callerSignal?: AbortSignal): AttemptSignal {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new DOMException("The attempt timed out", "TimeoutError"));
  }, Math.max(0, timeoutMs));
  const signal = callerSignal
    ? AbortSignal.any([controller.signal, callerSignal])
    : controller.signal;
  return {
    signal,
    timedOut: () => fired,
    clear: () => clearTimeout(timer),
  };
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
