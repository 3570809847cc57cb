import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomically } from "../reports/atomic_file.ts";
import { writeChargesCsv } from "../reports/csv_writer.ts";
import type { ChargeRow } from "../reports/model.ts";
import { syntheticReport } from "../reports/synthetic_rows.ts";

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

async function inTempDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "atomic_file_test_" });
  try {
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("atomic write: the file appears complete, with no temporary file left", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "charges.csv");
    const report = syntheticReport(2000);
    let seenDuringWrite: string[] = [];
    await writeFileAtomically(path, async (sink) => {
      seenDuringWrite = await listing(dir);
      await writeChargesCsv(report, sink);
    });
    assert.equal(
      seenDuringWrite.includes("charges.csv"),
      false,
      "nothing at the path while writing",
    );
    assert.equal(seenDuringWrite.length, 1, "one temporary file while writing");
    assert.match(seenDuringWrite[0], /^\.charges\.csv\.[0-9a-f]{8}\.tmp$/);
    assert.deepEqual(await listing(dir), ["charges.csv"]);
    const text = await Deno.readTextFile(path);
    assert.equal(text.split("\r\n").length, 2000 + 2, "header, rows and the final CRLF");
  }));

Deno.test("atomic write: a writer that throws midway leaves no file and no temporary file", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "charges.csv");
    const report = syntheticReport(5000);
    const failure = new Error("collection failed");
    function* rows() {
      let n = 0;
      for (const row of report.rows as Iterable<ChargeRow>) {
        if (++n === 4000) throw failure;
        yield row;
      }
    }
    await assert.rejects(
      writeFileAtomically(
        path,
        (sink) => writeChargesCsv({ ...report, rows: rows() }, sink).then(() => {}),
      ),
      (e) => e === failure,
    );
    assert.deepEqual(await listing(dir), []);
  }));

Deno.test("atomic write: a failure keeps the previous complete file", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "report.txt");
    await Deno.writeTextFile(path, "previous complete report");
    await assert.rejects(
      writeFileAtomically(path, async (sink) => {
        const writer = sink.getWriter();
        await writer.write(new TextEncoder().encode("half a rep"));
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await Deno.readTextFile(path), "previous complete report");
    assert.deepEqual(await listing(dir), ["report.txt"]);
  }));

Deno.test("atomic write: an aborted stream counts as a failure", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "x.bin");
    const reason = new Error("aborted by writer");
    await assert.rejects(
      writeFileAtomically(path, async (sink) => {
        await sink.abort(reason);
      }),
      (e) => e === reason,
    );
    assert.deepEqual(await listing(dir), []);
  }));

Deno.test("atomic write: returning with the stream still locked and open is refused", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "x.bin");
    await assert.rejects(
      writeFileAtomically(path, async (sink) => {
        await sink.getWriter().write(new Uint8Array([1, 2, 3]));
      }),
      /returned without closing its stream/,
    );
    assert.deepEqual(await listing(dir), []);
  }));

Deno.test("atomic write: an unlocked stream left open is closed and kept", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "x.bin");
    await writeFileAtomically(path, async (sink) => {
      const writer = sink.getWriter();
      await writer.write(new Uint8Array([1, 2, 3]));
      writer.releaseLock();
    });
    assert.deepEqual(await Deno.readFile(path), new Uint8Array([1, 2, 3]));
  }));

Deno.test("atomic write: a missing directory is a clear error", () =>
  inTempDir(async (dir) => {
    const path = join(dir, "missing", "x.csv");
    await assert.rejects(
      writeFileAtomically(path, async () => {}),
      /^BillingError: Cannot create a file in ".*missing" for "x.csv": .*; check that the directory exists/,
    );
  }));
