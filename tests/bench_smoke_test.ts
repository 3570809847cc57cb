/**
 * Smoke test of the benchmarks: the tiniest configuration of each benchmark function runs
 * and yields well-formed figures (counts that add up, finite positive rates, ordered
 * percentiles, tables naming every figure). Nothing here asserts a timing.
 */

import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import { parseBenchArgs } from "../scripts/bench.ts";
import { benchFanout } from "../scripts/bench/fanout.ts";
import { machineInfo } from "../scripts/bench/machine.ts";
import { QUICK_PLAN } from "../scripts/bench/plan.ts";
import { benchServer, checkServerTargets } from "../scripts/bench/server.ts";
import { median, percentile } from "../scripts/bench/stats.ts";
import { fanoutTable, renderResults, storeTable, validationTable } from "../scripts/bench/table.ts";
import { benchStoreRead } from "../scripts/bench/store_read.ts";
import { KV_CHUNK_SIZE } from "../reports/store/kv.ts";
import { checkTargets } from "../scripts/bench/targets.ts";
import { benchWriter, type WriterFigures } from "../scripts/bench/writers.ts";

function positiveFinite(value: number, what: string) {
  assert.ok(
    Number.isFinite(value) && value > 0,
    `${what} should be a positive number, got ${value}`,
  );
}

Deno.test("percentile uses nearest rank and median averages the middle pair", () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(values, 50), 5);
  assert.equal(percentile(values, 99), 10);
  assert.equal(percentile(values, 0), 1);
  assert.equal(percentile([], 50), NaN);
  assert.equal(median(values), 5.5);
  assert.equal(median([3, 1, 2]), 2);
});

Deno.test("bench arguments: --quick picks the quick plan, --only filters, unknown names exit 2", () => {
  const quick = parseBenchArgs(["--quick", "--only", "writers"]);
  assert.ok(quick !== "help");
  assert.equal(quick.plan, QUICK_PLAN);
  assert.deepEqual([...quick.parts], ["writers"]);
  assert.equal(parseBenchArgs(["--help"]), "help");
  assert.throws(() => parseBenchArgs(["--only", "fanout,nope"]), (e) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.exitCode, 2);
    assert.match(e.message, /"nope"/);
    return true;
  });
});

Deno.test("fan-out: tiny sandbox, requests equal the minimum and the figures are consistent", async () => {
  const f = await benchFanout(
    { organisations: 1, unitsPerOrganisation: 1, productsPerUnit: 2 },
    { latencyMs: 2, runs: 1, concurrency: 4, compare: [2] },
  );
  // 1 org x 1 unit x 2 products + 3 personal units with one product each.
  assert.equal(f.products, 5);
  assert.equal(f.minimumRequests, f.products + 2);
  assert.equal(f.requests, f.minimumRequests);
  assert.equal(f.serverRequests, f.requests);
  assert.ok(f.rows > 0);
  assert.equal(f.idealMs, (f.requests * 2) / 4);
  positiveFinite(f.serialMs, "serialMs");
  positiveFinite(f.concurrentMs, "concurrentMs");
  assert.equal(f.speedup, f.serialMs / f.concurrentMs);
  assert.equal(f.efficiency, f.idealMs / f.concurrentMs);
  // The phases are consecutive parts of the (only) timed run, so they add up to it.
  const { resolveMs, fanoutMs, finishMs } = f.phases;
  for (const [name, v] of Object.entries(f.phases)) positiveFinite(v, name);
  assert.ok(Math.abs(resolveMs + fanoutMs + finishMs - f.concurrentMs) < 0.01);
  assert.equal(f.compared.length, 1);
  assert.equal(f.compared[0].concurrency, 2);
  assert.equal(f.compared[0].idealMs, (f.requests * 2) / 2);
  const table = fanoutTable([f]);
  assert.match(table, /\| 5 \| \d+ \| 2 ms \|.*\(N=4, default\)/);
  assert.match(table, /\(N=2\)/);
  // Validation is timed over the same answers: the listing, one per product, GET /charges.
  assert.equal(f.validation.answers, f.products + 2);
  assert.ok(f.validation.bytes > 0);
  positiveFinite(f.validation.ms, "validation.ms");
  assert.match(
    validationTable([f]),
    /\| 5 \| 7 \| [\d.]+ MB \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ % \|/,
  );
});

Deno.test("writers: CSV, streamed XLSX and the in-memory baseline each report their own run", async () => {
  const figures: WriterFigures[] = [];
  for (const format of ["csv", "xlsx", "xlsx-document"] as const) {
    const w = await benchWriter(format, 30);
    assert.equal(w.format, format);
    assert.equal(w.rows, 30);
    positiveFinite(w.ms, `${format} ms`);
    positiveFinite(w.rowsPerSecond, `${format} rows/s`);
    positiveFinite(w.startRssBytes, `${format} start RSS`);
    assert.ok(w.peakRssBytes >= w.startRssBytes, `${format}: peak below the start`);
    figures.push(w);
  }
  const [csv, xlsx, doc] = figures;
  // 30 rows of CSV: a header and a CRLF-terminated line each, so more than 31 line ends.
  assert.ok(csv.bytes > 31 * 2);
  // Both XLSX files are zip archives of the same sheets.
  assert.ok(xlsx.bytes > 1000 && doc.bytes > 1000);
  const text = renderResults({
    plan: "quick",
    machine: machineInfo(),
    fanout: [],
    writers: figures,
    server: [],
    targets: checkTargets([], figures),
    totalMs: 1,
  });
  assert.match(text, /CSV streaming/);
  assert.match(text, /XLSX baseline: exceljs in-memory Workbook \| 30 \|/);
  assert.match(text, /XLSX 1M rows peak RSS \| < 150 MB \| not run/);
  assert.match(text, /XLSX 100k rows written per second \| >= 30,000 \| not run/);
});

Deno.test("writers: a failing child is reported with its format and row count", async () => {
  await assert.rejects(
    () => benchWriter("csv", -1),
    (e: Error) => {
      assert.match(e.message, /Writing -1 rows as csv failed in the child process \(exit 2\)/);
      assert.match(e.message, /Invalid --rows "-1"/);
      return true;
    },
  );
});

Deno.test("server: every target answers, percentiles are ordered, the download has rows", async () => {
  const results = await benchServer(50, { connections: 2, maxRequests: 4, maxMs: 20_000 });
  assert.deepEqual(results.map((r) => r.target.replace(/\(\d+ rows\)/, "(N rows)")), [
    "XLSX download (N rows), from cache (store directory)",
    "XLSX download (N rows), from cache, memory only (no store)",
    "index page, listings cached",
    "baseline: minimal Hono handler",
    "index page, listings not cached",
    "XLSX download (N rows), rendered every time",
  ]);
  assert.ok(Number(/\((\d+) rows\)/.exec(results[0].target)![1]) > 0);
  // Cached targets get 20 times the requests of the ones that ask the Account Server.
  const fast = new Set(["xlsx-cached", "xlsx-memory", "index-cached", "baseline"]);
  for (const r of results) {
    assert.equal(r.failed, 0, `${r.target}: ${r.firstFailure}`);
    assert.equal(r.ok, fast.has(r.id ?? "") ? 80 : 4, r.target);
    assert.ok(r.p50Ms <= r.p99Ms);
    positiveFinite(r.requestsPerSecond, `${r.target} req/s`);
    positiveFinite(r.meanBodyBytes, `${r.target} body`);
  }
});

Deno.test("server targets: issue 16's bounds, met, missed and not run", () => {
  const figures = (id: string, target: string, rps: number, p50: number) => ({
    id: id as "baseline",
    target,
    ok: 10,
    failed: 0,
    elapsedMs: 1000,
    requestsPerSecond: rps,
    p50Ms: p50,
    p99Ms: p50,
    meanBodyBytes: 1,
    connections: 8,
  });
  const checks = checkServerTargets([
    figures("xlsx-cached", "XLSX download (10123 rows), from cache (store directory)", 100, 50),
    figures("index-cached", "index page, listings cached", 1999, 1),
    figures("baseline", "baseline: minimal Hono handler", 9995, 0.1),
  ]);
  assert.deepEqual(checks.map((c) => [c.name, c.measured, c.met]), [
    ["cached XLSX downloads/s (10123 rows, 8 clients)", "100/s", true],
    ["cached XLSX p50 (10123 rows, 8 clients)", "50.0 ms", false],
    ["index pages/s (listings cached)", "1999/s", false],
    ["index pages vs bare Hono handler", "20.0 %", true],
  ]);
  assert.ok(checkServerTargets([]).every((c) => c.measured === "not run" && c.met === undefined));
});

Deno.test("targets: met, missed and not run are told apart", () => {
  const fan = {
    products: 503,
    rows: 1,
    latencyMs: 20,
    concurrency: 8,
    serialMs: 800,
    concurrentMs: 100,
    speedup: 8,
    requests: 505,
    serverRequests: 505,
    minimumRequests: 505,
    idealMs: 70,
    efficiency: 0.7,
    phases: { resolveMs: 1, fanoutMs: 1, finishMs: 1 },
    validation: { answers: 505, bytes: 1_000_000, ms: 5 },
    compared: [],
  };
  const checks = checkTargets([fan], []);
  // Validation: 5 ms of a 100 ms export is 5 %, not under the 5 % target.
  // Then four XLSX rows (100k and 1M rows: peak RSS and rows/s) and the CSV one, not run.
  assert.deepEqual(checks.map((c) => c.met), [true, false, false, ...Array(5).fill(undefined)]);
  assert.equal(checks[2].measured, "5.0 %");
  assert.equal(checks[0].name, "fan-out speed-up (503 products)");
  // The fan-out targets are for ~500 products: a smaller run (--quick) is not judged.
  const small = checkTargets([{ ...fan, products: 51 }], []);
  assert.deepEqual(small.map((c) => c.measured), Array(8).fill("not run"));
});

Deno.test("store: a stored report is read back whole, in getMany batches of 10 chunks", async () => {
  const f = await benchStoreRead(2_000_000, 1);
  assert.equal(f.bytes, 2_000_000);
  assert.equal(f.chunks, Math.ceil(2_000_000 / KV_CHUNK_SIZE));
  // One get for the metadata, then one getMany per 10 chunks.
  assert.equal(f.reads, 1 + Math.ceil(f.chunks / 10));
  positiveFinite(f.ms, "ms");
  assert.match(
    storeTable(f),
    new RegExp(`\\| 1\\.9 MB \\| ${f.chunks} \\| ${f.reads} \\| [\\d.]+ ms \\| \\d+ MB/s \\|`),
  );
});
