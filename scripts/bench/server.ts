/**
 * Server benchmark: concurrent downloads of a ~10k-row XLSX and of the index page from the
 * report server (reports/server/app.ts) over loopback, bounded in count and time, next to a
 * minimal Hono handler on the same machine as the baseline.
 *
 * The Account Server is the sandbox in a child process, without injected latency, sized so
 * that one unit holds about `rows` charges in the exported period. The report server and
 * the load generator share this process (the machine has few cores; see docs/benchmarks.md).
 *
 * @module
 */

import { Hono } from "hono";
import { createReportServer } from "../../reports/server/app.ts";
import { type LoadFigures, type LoadOptions, runLoad } from "./load.ts";
import { startSandboxProcess } from "./remote_sandbox.ts";

/** Options of {@link benchServer}. */
export interface ServerBenchOptions {
  /** Clients downloading at once. @default 8 */
  connections?: number;
  /** Most requests per target. @default 200 */
  maxRequests?: number;
  /** Most time per target, in milliseconds. @default 10000 */
  maxMs?: number;
}

/** One measured target. */
export interface ServerTargetFigures extends LoadFigures {
  /** e.g. "XLSX download (10,123 rows)". */
  target: string;
}

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
 * Measures the index page, the XLSX download of the largest unit, and the baseline. Every
 * server started here is closed before it returns.
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
  const sandbox = await startSandboxProcess({
    seed: 1,
    now: "2026-11-20T12:00:00Z",
    sizes: sandboxSizesFor(rows),
  });
  const secret = crypto.randomUUID();
  const headers = { Authorization: `Bearer ${secret}` };
  const app = createReportServer({
    api: sandbox.api,
    tokens: sandbox.tokens,
    sourceUrl: sandbox.info.asUrl,
    sandbox: true,
    auth: { tokens: [secret] },
    now: () => new Date("2026-11-20T12:00:00Z"),
    log: () => {},
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const baseline = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    new Hono().get("/", (c) => c.text("ok")).fetch,
  );
  try {
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const unitId = await largestUnit(sandbox);
    const xlsxUrl = `${origin}/reports/charges/unit/${unitId}.xlsx?pbp=-1`;
    const xlsxRows = await warmUp(xlsxUrl, headers);
    await warmUp(`${origin}/`, headers);
    const baseUrl = `http://127.0.0.1:${baseline.addr.port}/`;
    await warmUp(baseUrl, {});
    return [
      {
        target: `XLSX download (${xlsxRows} rows)`,
        ...await runLoad(xlsxUrl, { ...load, headers }),
      },
      { target: "index page", ...await runLoad(`${origin}/`, { ...load, headers }) },
      { target: "baseline: minimal Hono handler", ...await runLoad(baseUrl, load) },
    ];
  } finally {
    await server.shutdown();
    await baseline.shutdown();
    await sandbox.close();
  }
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

/** One request whose body is read and dropped; returns its `X-Report-Rows` (0 if none). */
async function warmUp(url: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) {
    throw new Error(`Warm-up GET ${new URL(url).pathname} answered HTTP ${response.status}`);
  }
  return Number(response.headers.get("X-Report-Rows") ?? 0);
}
