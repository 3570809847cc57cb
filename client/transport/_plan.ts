/**
 * The retry decision of the transport after a failed attempt: retry or not, how long to
 * wait, and, when giving up early, why. Pure; used by {@link ./transport.ts}.
 *
 * @module
 */

import { backoffDelayMs, type BackoffOptions, parseRetryAfter } from "./retry.ts";
import type { AttemptOutcome } from "./_attempt.ts";

/** Inputs of {@link planRetry}. */
export interface RetryContext {
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** Attempts allowed for this request (1 for POST/PATCH). */
  maxAttempts: number;
  /** Statuses worth another attempt. */
  retryStatuses: readonly number[];
  /** Whether a timed-out attempt is retried. */
  retryOnTimeout: boolean;
  /** Longest `Retry-After` obeyed, in milliseconds. */
  maxRetryAfterMs: number;
  /** Backoff schedule. */
  backoff?: BackoffOptions;
  /** Current time in milliseconds. */
  now: number;
  /** Absolute deadline in milliseconds (`Infinity` for none). */
  deadline: number;
  /** The overall deadline in seconds, for the message. */
  deadlineS?: number;
}

/** The decision: retry after `delayMs`, or stop (with a `note` for the message when useful). */
export interface RetryPlan {
  /** Whether to make another attempt. */
  retry: boolean;
  /** Pause before it, in milliseconds. */
  delayMs: number;
  /** Why the call stops early, for the error message. */
  note?: string;
}

/** Decides whether the failed `outcome` is worth another attempt, and when. */
export function planRetry(outcome: AttemptOutcome, ctx: RetryContext): RetryPlan {
  const stop = (note?: string): RetryPlan => ({ retry: false, delayMs: 0, note });
  const worth = outcome.failure === "network" || outcome.failure === "invalid-body" ||
    (outcome.failure === "timeout" && ctx.retryOnTimeout && ctx.now < ctx.deadline) ||
    (outcome.failure === "status" && ctx.retryStatuses.includes(outcome.status));
  if (!worth) return stop();
  if (ctx.attempt >= ctx.maxAttempts) return stop();
  let delayMs = backoffDelayMs(ctx.attempt, ctx.backoff);
  const header = outcome.headers?.get("retry-after");
  const asked = outcome.failure === "status" ? parseRetryAfter(header, ctx.now) : undefined;
  if (asked !== undefined) {
    if (asked > ctx.maxRetryAfterMs) {
      return stop(
        `the server asked to retry after ${Math.ceil(asked / 1000)} s, longer than the ` +
          `${ctx.maxRetryAfterMs / 1000} s allowed by maxRetryAfterS; try again later`,
      );
    }
    // A server-given delay is obeyed exactly: no jitter, no backoff cap.
    delayMs = asked;
  }
  if (ctx.now + delayMs >= ctx.deadline) {
    const limit = ctx.deadlineS === undefined || !Number.isFinite(ctx.deadlineS)
      ? ""
      : `${ctx.deadlineS} s `;
    return stop(`no time left before the ${limit}deadline for another attempt`);
  }
  return { retry: true, delayMs };
}
