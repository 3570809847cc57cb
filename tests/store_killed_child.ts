/**
 * Test helper, run as a subprocess by tests/store_cleanup_test.ts: opens the report store
 * `Deno.args[0]` (a directory or `kv:PATH`), starts storing a report whose bytes stall
 * after `Deno.args[1]` pieces of 60 000 bytes, prints `STALLED` once the store has taken
 * them, and waits for ever, so that the test can kill it mid-put as a crash would.
 *
 * @module
 */

import { openReportStore } from "../reports/store.ts";

const [spec, piecesText] = Deno.args;
const pieces = Number(piecesText);
const store = await openReportStore(spec);
let sent = 0;
const bytes = new ReadableStream<Uint8Array>({
  pull(controller) {
    if (sent < pieces) {
      controller.enqueue(new Uint8Array(60_000).fill(65 + (sent % 26)));
      sent++;
      return;
    }
    // Everything before this piece was taken by the store: say so, then never answer (the
    // timer keeps the process alive until it is killed).
    console.log("STALLED");
    setInterval(() => {}, 60_000);
    return new Promise<void>(() => {});
  },
}, { highWaterMark: 0 });
await store.put({
  scope: "unit",
  scopeId: "unit-killed",
  scopeName: "Killed mid-write",
  period: { from: "2026-10-03", until: "2026-11-03" },
  format: "csv",
  rowCount: 1,
  totalCoins: "1",
  sandbox: true,
}, bytes);
