/**
 * Two things the scheduled job decides around each run: whether this process should run it
 * at all ({@link cronRunGate}: crons fire on every Deno Deploy timeline, and only production
 * may export), and how it stops ({@link createShutdown}: on SIGINT/SIGTERM the run in progress
 * finishes the report it is on, or abandons it cleanly after a grace period, before the store
 * is closed).
 *
 * @module
 */

import type { EnvLookup } from "../../client/env.ts";
import { ConfigError } from "../../client/errors.ts";

/** Whether a cron run may export here, and why. */
export interface CronRunGate {
  /** True when the run goes ahead. */
  run: boolean;
  /** Why (one line, for the log). */
  reason: string;
}

/**
 * Reads `CRON_ENABLED` (`auto`, the default; `yes`; `no`) and Deno Deploy's `DENO_TIMELINE`
 * (`production`, `git-branch/<name>`, `preview/<id>`; unset off Deploy). With `auto`, a run
 * goes ahead off Deploy and on the production timeline only, so a branch deployment never
 * exports from the production Account Server into its own database.
 *
 * @throws {ConfigError} when `CRON_ENABLED` is not `auto`, `yes` or `no`.
 *
 * @example
 * ```ts
 * import { cronRunGate } from "@squonk2/billing/reports";
 *
 * cronRunGate((name) => ({ DENO_TIMELINE: "git-branch/dev" } as Record<string, string>)[name]).run;
 * // false
 * ```
 */
export function cronRunGate(env: EnvLookup): CronRunGate {
  const setting = (env("CRON_ENABLED") ?? "").trim().toLowerCase() || "auto";
  const timeline = (env("DENO_TIMELINE") ?? "").trim();
  if (setting === "no") return { run: false, reason: "CRON_ENABLED=no" };
  if (setting === "yes") return { run: true, reason: "CRON_ENABLED=yes" };
  if (setting !== "auto") {
    throw new ConfigError(`CRON_ENABLED "${setting}" is invalid: use auto (default), yes or no`);
  }
  if (!timeline) return { run: true, reason: "not on a Deno Deploy timeline" };
  if (timeline === "production") return { run: true, reason: "production timeline" };
  return {
    run: false,
    reason:
      `timeline ${timeline} is not production (DENO_TIMELINE); set CRON_ENABLED=yes in its context to export here`,
  };
}

/** Options of {@link createShutdown}. */
export interface ShutdownOptions {
  /**
   * How long a run may take to finish the report it is on, in milliseconds, before it is
   * abandoned. Deno Deploy kills an instance 5 s after SIGINT. @default 3000
   */
  graceMs?: number;
  /** How long to wait for an abandoned run to clean up. @default 1000 */
  cleanUpMs?: number;
}

/** The stop protocol shared by a process's runs. */
export interface Shutdown {
  /** Aborted when the stop begins: runs finish their current report and start no other. */
  readonly stopSignal: AbortSignal;
  /** Aborted when the grace period is over: runs abandon the report in progress. */
  readonly signal: AbortSignal;
  /** Runs `run` as a tracked run: {@link Shutdown.stop} waits for it. */
  track<T>(run: () => Promise<T>): Promise<T>;
  /**
   * Stops: aborts `stopSignal`, waits up to `graceMs` for tracked runs, then aborts `signal`
   * and waits up to `cleanUpMs` more. Resolves to true when every run settled in time. Only
   * then should the caller close the store.
   */
  stop(): Promise<boolean>;
}

/**
 * Creates the stop protocol of one process.
 *
 * @example
 * ```ts
 * import { createShutdown } from "@squonk2/billing/reports";
 *
 * const shutdown = createShutdown({ graceMs: 3000 });
 * Deno.addSignalListener("SIGTERM", async () => {
 *   await shutdown.stop(); // the run finishes or abandons its report, then:
 *   Deno.exit(0);
 * });
 * ```
 */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const graceMs = options.graceMs ?? 3000;
  const cleanUpMs = options.cleanUpMs ?? 1000;
  const soft = new AbortController();
  const hard = new AbortController();
  const running = new Set<Promise<unknown>>();
  let stopping: Promise<boolean> | undefined;

  const settledWithin = async (ms: number): Promise<boolean> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
    try {
      const all = Promise.allSettled([...running]).then(() => true as const);
      return await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    stopSignal: soft.signal,
    signal: hard.signal,
    track(run) {
      const p = run();
      running.add(p);
      p.then(() => running.delete(p), () => running.delete(p));
      return p;
    },
    stop() {
      stopping ??= (async () => {
        soft.abort(new Error("stopping"));
        if (running.size === 0 || await settledWithin(graceMs)) return true;
        hard.abort(new Error("stopping: grace period over"));
        return await settledWithin(cleanUpMs);
      })();
      return stopping;
    },
  };
}
