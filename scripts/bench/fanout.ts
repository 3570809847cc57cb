/**
 * Fan-out benchmark: an all-organisations export of one period against the sandbox (in a
 * child process) with injected latency per AS request, timed with one request at a time
 * (as the Python client does) and with the default concurrency.
 *
 * Figures: wall times, the speed-up, AS requests made against the minimum needed, and the
 * efficiency against the ideal bound `requests × latency ÷ concurrency` (1.0 would mean the
 * latency alone, perfectly overlapped, took all the time), and the client's CPU time per
 * export (what other load on the machine does not change much).
 *
 * @module
 */

import process from "node:process";
import { collectCharges } from "../../reports/charges/collect.ts";
import { DEFAULT_CONCURRENCY } from "../../reports/_pool.ts";
import { startSandboxProcess } from "./remote_sandbox.ts";
import { benchValidation, type ValidationFigures } from "./validation.ts";
import { median } from "./stats.ts";

/** Sandbox sizes that decide the number of products (organisations × units × products + 3). */
export interface FanoutSizes {
  /** Organisations besides the Default one. */
  organisations: number;
  /** Units in each organisation. */
  unitsPerOrganisation: number;
  /** Products in each unit. */
  productsPerUnit: number;
}

/** Options of {@link benchFanout}. */
export interface FanoutOptions {
  /** Latency the sandbox adds to every AS request. @default 20 */
  latencyMs?: number;
  /** The concurrency compared with 1. @default DEFAULT_CONCURRENCY (the default of collection) */
  concurrency?: number;
  /** Timed runs at `concurrency`; the median is reported. @default 3 */
  runs?: number;
  /** Timed runs at concurrency 1; the median is reported. @default 1 */
  serialRuns?: number;
  /** Billing period exported. @default -1 (the last complete one) */
  pbp?: number;
  /** Other concurrencies to time too (one run each), e.g. the previous default. */
  compare?: number[];
}

/** Where the wall time of one export went. */
export interface FanoutPhases {
  /** Listing the products (one request), before any charges request. */
  resolveMs: number;
  /** From the first charges request to the last answer. */
  fanoutMs: number;
  /** Rows, totals and reconciliation after the last answer. */
  finishMs: number;
}

/** One more concurrency timed against the same serial run. */
export interface FanoutComparison {
  /** Requests in flight. */
  concurrency: number;
  /** Wall time of one export. */
  ms: number;
  /** Serial time ÷ `ms`. */
  speedup: number;
  /** Requests × latency ÷ `concurrency`. */
  idealMs: number;
  /** `idealMs / ms`. */
  efficiency: number;
}

/** What {@link benchFanout} measured. */
export interface FanoutFigures {
  /** Products in the sandbox (one charges request each). */
  products: number;
  /** Charge rows exported. */
  rows: number;
  /** Latency the sandbox added to every AS request. */
  latencyMs: number;
  /** The concurrency compared with 1 (the default of collection unless given). */
  concurrency: number;
  /** Median wall time with one request at a time. */
  serialMs: number;
  /** Median wall time with `concurrency` requests in flight. */
  concurrentMs: number;
  /** `serialMs / concurrentMs`. */
  speedup: number;
  /** AS requests one export made (as counted by the collector). */
  requests: number;
  /** AS requests the sandbox saw for one export (must equal `requests`). */
  serverRequests: number;
  /** The fewest AS requests an `all` export can make: products + 2. */
  minimumRequests: number;
  /** `requests × latency ÷ concurrency`. */
  idealMs: number;
  /** `idealMs / concurrentMs`. */
  efficiency: number;
  /** Phases of the median run at `concurrency`. */
  phases: FanoutPhases;
  /**
   * CPU time (user + system) of this process, the client, during one export at
   * `concurrency` (median): unlike wall times, barely moved by other load on the machine.
   */
  clientCpuMs?: number;
  /** The `compare` concurrencies. */
  compared: FanoutComparison[];
  /** Validating the export's answers against their schemas, timed apart. */
  validation: ValidationFigures;
}

/**
 * Runs the fan-out benchmark at `sizes`. The sandbox starts in a child process (so that
 * its work runs beside, not inside, the client being timed) and is stopped at the end. One
 * untimed export at `concurrency` warms up the client (JIT, connections, token) first.
 */
export async function benchFanout(
  sizes: FanoutSizes,
  options: FanoutOptions = {},
): Promise<FanoutFigures> {
  const latencyMs = options.latencyMs ?? 20;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const sandbox = await startSandboxProcess({
    seed: 1,
    // A fixed data clock: the same products and charges on every run.
    now: "2026-11-20T12:00:00Z",
    sizes,
    faults: { latencyMs },
  });
  try {
    const ctx = {
      api: sandbox.api,
      tokens: sandbox.tokens,
      sourceUrl: sandbox.info.asUrl,
      sandbox: true,
    };
    const request = { scope: { kind: "all" as const }, period: { pbp: options.pbp ?? -1 } };
    const exportOnce = async (c: number) => {
      await sandbox.resetStats();
      const cpu = process.cpuUsage();
      const started = performance.now();
      let fanoutStart = NaN;
      let fanoutEnd = NaN;
      const { report, requests } = await collectCharges(ctx, request, {
        concurrency: c,
        onProgress(done, total) {
          if (done === 0 && Number.isNaN(fanoutStart)) fanoutStart = performance.now();
          if (done === total) fanoutEnd = performance.now();
        },
      });
      const end = performance.now();
      const used = process.cpuUsage(cpu);
      const stats = await sandbox.stats();
      return {
        ms: end - started,
        phases: {
          resolveMs: fanoutStart - started,
          fanoutMs: fanoutEnd - fanoutStart,
          finishMs: end - fanoutEnd,
        },
        cpuMs: (used.user + used.system) / 1000,
        requests,
        serverRequests: stats.byService.as,
        rows: report.rowCount,
      };
    };
    await exportOnce(concurrency);
    const serial = [];
    for (let i = 0; i < Math.max(1, options.serialRuns ?? 1); i++) serial.push(await exportOnce(1));
    const concurrent = [];
    for (let i = 0; i < Math.max(1, options.runs ?? 3); i++) {
      concurrent.push(await exportOnce(concurrency));
    }
    const compared = [];
    for (const c of options.compare ?? []) compared.push({ c, run: await exportOnce(c) });
    const validation = await benchValidation(sandbox.info.asUrl, await sandbox.tokens.getToken(), {
      pbp: options.pbp ?? -1,
    });
    const last = concurrent[concurrent.length - 1];
    const serialMs = median(serial.map((r) => r.ms));
    const concurrentMs = median(concurrent.map((r) => r.ms));
    const middle = [...concurrent].sort((a, b) => a.ms - b.ms)[Math.floor(concurrent.length / 2)];
    const idealMs = (last.requests * latencyMs) / concurrency;
    return {
      products: sandbox.info.products,
      rows: last.rows,
      latencyMs,
      concurrency,
      serialMs,
      concurrentMs,
      speedup: serialMs / concurrentMs,
      requests: last.requests,
      serverRequests: last.serverRequests,
      // One product listing, one charges request per product, and one GET /charges for the
      // server's own totals that the export is reconciled with.
      minimumRequests: sandbox.info.products + 2,
      idealMs,
      efficiency: idealMs / concurrentMs,
      phases: middle.phases,
      clientCpuMs: median(concurrent.map((r) => r.cpuMs)),
      validation,
      compared: compared.map(({ c, run }) => {
        const ideal = (run.requests * latencyMs) / c;
        return {
          concurrency: c,
          ms: run.ms,
          speedup: serialMs / run.ms,
          idealMs: ideal,
          efficiency: ideal / run.ms,
        };
      }),
    };
  } finally {
    await sandbox.close();
  }
}
