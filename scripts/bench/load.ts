/**
 * A small HTTP load generator for the server benchmark: `connections` clients each send
 * GET requests one after another, reading every body to the end, until `maxRequests` have
 * been sent or `maxMs` has passed, whichever comes first.
 *
 * @module
 */

import { percentile, perSecond } from "./stats.ts";

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Clients sending at the same time. @default 8 */
  connections?: number;
  /** Most requests sent in all. @default 200 */
  maxRequests?: number;
  /** Stop sending new requests after this long (requests in flight finish). @default 10000 */
  maxMs?: number;
  /** Request headers, e.g. credentials. */
  headers?: Record<string, string>;
}

/** What {@link runLoad} measured. */
export interface LoadFigures {
  /** Requests answered with a 2xx status and a fully read body. */
  ok: number;
  /** Requests that failed (non-2xx status or a network error). */
  failed: number;
  /** First failure, for the reader (no credentials: only status or error name). */
  firstFailure?: string;
  /** Wall time from the first request to the last answer. */
  elapsedMs: number;
  /** `ok` per second of `elapsedMs`. */
  requestsPerSecond: number;
  /** Median time from sending a request to its last body byte. */
  p50Ms: number;
  /** 99th percentile of the same. */
  p99Ms: number;
  /** Mean bytes per successful body. */
  meanBodyBytes: number;
  /** Clients that sent at the same time. */
  connections: number;
}

/** Sends GET requests to `url` as described by `options` and returns the figures. */
export async function runLoad(url: string, options: LoadOptions = {}): Promise<LoadFigures> {
  const connections = Math.max(1, options.connections ?? 8);
  const maxRequests = Math.max(1, options.maxRequests ?? 200);
  const maxMs = options.maxMs ?? 10_000;
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  let bodyBytes = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const client = async () => {
    while (sent < maxRequests && performance.now() - started < maxMs) {
      sent++;
      const t0 = performance.now();
      try {
        const response = await fetch(url, { headers: options.headers });
        const body = new Uint8Array(await response.arrayBuffer());
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        latencies.push(performance.now() - t0);
        bodyBytes += body.byteLength;
      } catch (error) {
        failed++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const elapsedMs = performance.now() - started;
  return {
    ok: latencies.length,
    failed,
    firstFailure,
    elapsedMs,
    requestsPerSecond: perSecond(latencies.length, elapsedMs),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanBodyBytes: latencies.length > 0 ? bodyBytes / latencies.length : 0,
    connections,
  };
}
