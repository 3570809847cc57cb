/**
 * Server benchmark: concurrent GETs to the report server (reports/server/app.ts) over
 * loopback, bounded in count and time, next to a minimal Hono handler on the same machine
 * as the baseline:
 *
 * - the ~10k-row XLSX of a closed period rendered on every request (render cache off), as
 *   before issue 16;
 * - the same file answered from the render cache: from the report store's
 *   `.render-cache` directory (the default of `deno task serve`), and from memory (a server
 *   without a store);
 * - the index page with the Account Server's listings cached (30 s, the default), and
 *   without (TTL 0: three AS calls per page);
 * - the baseline.
 *
 * The Account Server is the sandbox in a child process, without injected latency, sized so
 * that one unit holds about `rows` charges in the exported period. The report servers and
 * the load generator share this process (the machine has few cores; see docs/benchmarks.md).
 * {@link checkServerTargets} compares the figures with issue 16's targets.
 *
 * @module
 */

import { Hono } from "hono";
import { createReportServer, type ReportServerCacheOptions } from "../../reports/server/app.ts";
import { openReportStore } from "../../reports/store/open.ts";
import { type LoadFigures, type LoadOptions, runLoad } from "./load.ts";
import { startSandboxProcess } from "./remote_sandbox.ts";
import type { TargetCheck } from "./targets.ts";

/** Options of {@link benchServer}. */
export interface ServerBenchOptions {
  /** Clients downloading at once. @default 8 */
  connections?: number;
  /** Most requests per target that renders (the cached targets get 20 times as many). @default 200 */
  maxRequests?: number;
  /** Most time per target, in milliseconds. @default 10000 */
  maxMs?: number;
}

/** Which server target a figure is for. */
export type ServerTargetId =
  | "xlsx-fresh"
  | "xlsx-cached"
  | "xlsx-memory"
  | "index-cached"
  | "index-uncached"
  | "baseline";

/** One measured target. */
export interface ServerTargetFigures extends LoadFigures {
  /** e.g. "XLSX download (10,123 rows)". */
  target: string;
  /** Which target this is, for {@link checkServerTargets}. */
  id?: ServerTargetId;
}

/** Requests of a cached target per request of a rendering one. */
const CACHED_REQUESTS_FACTOR = 20;
/** The order the targets are reported in. */
const SHOWN: readonly ServerTargetId[] = [
  "xlsx-cached",
  "xlsx-memory",
  "index-cached",
  "baseline",
  "index-uncached",
  "xlsx-fresh",
];
/** Requests sent to each fast target before it is measured. */
const WARM_UP_REQUESTS = 200;

/** Processing charges per product and period, and products per unit, for ~`rows` rows. */
export function sandboxSizesFor(rows: number) {
  // Measured on the sandbox: units of 10 and 14 products at 999 jobs a period have ~7,300
  // and ~9,400 rows in a full period (storage subscriptions have only daily items).
  const perProduct = 673;
  return {
    organisations: 1,
    unitsPerOrganisation: 1,
    productsPerUnit: Math.max(1, Math.round(rows / perProduct)),
    // Small runs (tests, --quick) get fewer jobs rather than fewer than one product.
    processingChargesPerPeriod: Math.max(1, Math.min(999, rows)),
  };
}

/**
 * Measures the XLSX download of the largest unit (rendered, cached in memory, cached in
 * the store), the index page (listings cached and not), and the baseline. Every server
 * started here is closed, and the temporary store removed, before it returns.
 */
export async function benchServer(
  rows: number,
  options: ServerBenchOptions = {},
): Promise<ServerTargetFigures[]> {
  const load: LoadOptions = {
    connections: options.connections ?? 8,
    maxRequests: options.maxRequests ?? 200,
    maxMs: options.maxMs ?? 10_000,
  };
  const fast: LoadOptions = {
    ...load,
    maxRequests: (load.maxRequests ?? 200) * CACHED_REQUESTS_FACTOR,
  };
  const warmUps = Math.min(WARM_UP_REQUESTS, fast.maxRequests ?? WARM_UP_REQUESTS);
  const sandbox = await startSandboxProcess({
    seed: 1,
    now: "2026-11-20T12:00:00Z",
    sizes: sandboxSizesFor(rows),
  });
  const dir = await Deno.makeTempDir({ prefix: "bench_server_store_" });
  const store = await openReportStore(dir);
  const secret = crypto.randomUUID();
  const headers = { Authorization: `Bearer ${secret}` };
  const serve = (cache: ReportServerCacheOptions) => {
    const app = createReportServer({
      api: sandbox.api,
      tokens: sandbox.tokens,
      sourceUrl: sandbox.info.asUrl,
      sandbox: true,
      store,
      auth: { tokens: [secret] },
      now: () => new Date("2026-11-20T12:00:00Z"),
      log: () => {},
      cache,
    });
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
    return { server, origin: `http://127.0.0.1:${server.addr.port}` };
  };
  const fresh = serve({ reports: "off", listingTtlMs: 0 });
  const cached = serve({});
  const inMemory = serve({ reports: "memory" });
  const baseline = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    new Hono().get("/", (c) => c.text("ok")).fetch,
  );
  try {
    const unitId = await largestUnit(sandbox);
    const xlsxPath = `/reports/charges/unit/${unitId}.xlsx?pbp=-1`;
    const xlsxRows = await warmUp(fresh.origin + xlsxPath, headers);
    // The first download renders and keeps the file; the second must come from the cache.
    await warmUp(cached.origin + xlsxPath, headers);
    await warmUp(cached.origin + xlsxPath, headers, "hit");
    await warmUp(inMemory.origin + xlsxPath, headers);
    await warmUp(inMemory.origin + xlsxPath, headers, "hit");
    await warmUp(cached.origin + "/", headers);
    await warmUp(fresh.origin + "/", headers);
    const baseUrl = `http://127.0.0.1:${baseline.addr.port}/`;
    await warmUp(baseUrl, {});
    // A short burst on each fast target first: the first hundreds of requests of a path
    // run colder code (measured: the first of three rounds at a third of the later rate).
    for (const url of [cached.origin + xlsxPath, inMemory.origin + xlsxPath]) {
      await runLoad(url, { ...load, maxRequests: warmUps, maxMs: 2_000, headers });
    }
    await runLoad(cached.origin + "/", {
      ...load,
      maxRequests: WARM_UP_REQUESTS,
      maxMs: 2_000,
      headers,
    });
    await runLoad(baseUrl, { ...load, maxRequests: warmUps, maxMs: 2_000 });
    const label = `XLSX download (${xlsxRows} rows)`;
    const figures: ServerTargetFigures[] = [];
    const measure = async (
      id: ServerTargetId,
      target: string,
      url: string,
      opts: LoadOptions,
    ) => figures.push({ id, target, ...await runLoad(url, opts) });
    // Fast targets first: a rendering target leaves a heap full of garbage whose
    // collection (measured) halves the rate of whatever is measured right after it. The
    // index page and the baseline it is compared with go first, one right after the other,
    // so that neither pays for the gigabytes of XLSX bodies the cached downloads read.
    await measure("index-cached", "index page, listings cached", cached.origin + "/", {
      ...fast,
      headers,
    });
    await measure("baseline", "baseline: minimal Hono handler", baseUrl, fast);
    await measure(
      "xlsx-cached",
      `${label}, from cache (store directory)`,
      cached.origin + xlsxPath,
      {
        ...fast,
        headers,
      },
    );
    await measure(
      "xlsx-memory",
      `${label}, from cache, memory only (no store)`,
      inMemory.origin + xlsxPath,
      { ...fast, headers },
    );
    await measure("index-uncached", "index page, listings not cached", fresh.origin + "/", {
      ...load,
      headers,
    });
    await measure("xlsx-fresh", `${label}, rendered every time`, fresh.origin + xlsxPath, {
      ...load,
      headers,
    });
    // Reported in the order of the table (cached downloads first), whatever the order measured.
    return figures.sort((a, b) => SHOWN.indexOf(a.id!) - SHOWN.indexOf(b.id!));
  } finally {
    await fresh.server.shutdown();
    await cached.server.shutdown();
    await inMemory.server.shutdown();
    await baseline.shutdown();
    store.close();
    await sandbox.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Issue 16's server targets against `figures`: a cached 10k-row XLSX ≥ 100 downloads/s
 * with p50 < 50 ms (8 clients), and the index page ≥ 2,000 pages/s and ≥ 20 % of the
 * baseline measured in the same run. Reported, never asserted.
 */
export function checkServerTargets(figures: readonly ServerTargetFigures[]): TargetCheck[] {
  const by = (id: ServerTargetId) => figures.find((f) => f.id === id && f.ok > 0);
  const xlsx = by("xlsx-cached");
  const index = by("index-cached");
  const base = by("baseline");
  const rows = xlsx ? / \((\d+) rows\)/.exec(xlsx.target)?.[1] : undefined;
  const at = `${rows ? ` (${rows} rows` : " ("}${xlsx ? `, ${xlsx.connections} clients)` : ")"}`;
  const share = index && base ? 100 * index.requestsPerSecond / base.requestsPerSecond : undefined;
  return [
    check(`cached XLSX downloads/s${at}`, ">= 100/s", xlsx?.requestsPerSecond, 100, "/s", true),
    check(`cached XLSX p50${at}`, "< 50 ms", xlsx?.p50Ms, 50, " ms", false),
    check(
      "index pages/s (listings cached)",
      ">= 2000/s",
      index?.requestsPerSecond,
      2000,
      "/s",
      true,
    ),
    check("index pages vs bare Hono handler", ">= 20 %", share, 20, " %", true),
  ];
}

function check(
  name: string,
  target: string,
  value: number | undefined,
  bound: number,
  unit: string,
  atLeast: boolean,
): TargetCheck {
  if (value === undefined || !Number.isFinite(value)) return { name, target, measured: "not run" };
  const digits = unit === " %" || unit === " ms" ? 1 : 0;
  return {
    name,
    target,
    measured: `${value.toFixed(digits)}${unit}`,
    met: atLeast ? value >= bound : value < bound,
  };
}

/** The id of the unit with the most products (the one sized to hold ~`rows` charges). */
async function largestUnit(
  sandbox: Awaited<ReturnType<typeof startSandboxProcess>>,
): Promise<string> {
  const token = await sandbox.tokens.getToken();
  const rv = await sandbox.api.getAvailableProducts(token);
  if (!rv.success) throw new Error(`Listing the sandbox products failed: ${rv.msg.error}`);
  const counts = new Map<string, number>();
  for (const p of rv.msg.products) counts.set(p.unit.id, (counts.get(p.unit.id) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best) throw new Error("The sandbox has no products: check its sizes");
  return best[0];
}

/**
 * One request whose body is read and dropped; returns its `X-Report-Rows` (0 if none).
 * With `cache`, the answer must carry `X-Report-Cache: <cache>`.
 */
async function warmUp(
  url: string,
  headers: Record<string, string>,
  cache?: string,
): Promise<number> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`Warm-up GET ${new URL(url).pathname} answered HTTP ${response.status}`);
  }
  if (cache !== undefined && response.headers.get("X-Report-Cache") !== cache) {
    throw new Error(`Warm-up GET ${new URL(url).pathname} was not answered from the cache`);
  }
  return Number(response.headers.get("X-Report-Rows") ?? 0);
}
