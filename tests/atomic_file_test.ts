import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commitStaged,
  discardStaged,
  removeStaleTemporaries,
  stageFile,
  writeFileAtomically,
} from "../reports/writers/atomic_file.ts";
import { writeChargesCsv } from "../reports/writers/csv.ts";
import type { ChargeRow } from "../reports/charges/model.ts";
import { syntheticReport } from "./fixtures/synthetic_rows.ts";

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
    assert.match(
      seenDuringWrite[0],
      new RegExp(`^\\.charges\\.csv\\.tmp-${Deno.pid}-[0-9a-f]{8}$`),
    );
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

function textWriter(text: string) {
  return async (sink: WritableStream<Uint8Array>) => {
    const writer = sink.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  };
}

Deno.test("staged set: nothing at the targets until commit, then all of them at once", () =>
  inTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.xlsx"), "old a");
    const a = await stageFile(join(dir, "a.xlsx"), textWriter("new a"));
    const b = await stageFile(join(dir, "b.csv"), textWriter("new b"));
    assert.equal(await Deno.readTextFile(join(dir, "a.xlsx")), "old a", "untouched before commit");
    assert.equal((await listing(dir)).length, 3, "a.xlsx and two temporary files");
    await commitStaged([a, b]);
    assert.deepEqual(await listing(dir), ["a.xlsx", "b.csv"]);
    assert.equal(await Deno.readTextFile(join(dir, "a.xlsx")), "new a");
    assert.equal(await Deno.readTextFile(join(dir, "b.csv")), "new b");
  }));

Deno.test("staged set: a directory in the way of one file fails all before any rename", () =>
  inTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.xlsx"), "old good a");
    await Deno.mkdir(join(dir, "b.csv"));
    const a = await stageFile(join(dir, "a.xlsx"), textWriter("new a"));
    const b = await stageFile(join(dir, "b.csv"), textWriter("new b"));
    await assert.rejects(
      commitStaged([a, b]),
      /Cannot write ".*b\.csv": it is a directory; move it away .*nothing was written/,
    );
    assert.deepEqual(await listing(dir), ["a.xlsx", "b.csv"], "temporary files removed");
    assert.equal(await Deno.readTextFile(join(dir, "a.xlsx")), "old good a");
    assert.equal((await Deno.stat(join(dir, "b.csv"))).isDirectory, true);
  }));

Deno.test("staged set: discard removes only the temporary files", () =>
  inTempDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.csv"), "old");
    const a = await stageFile(join(dir, "a.csv"), textWriter("new"));
    await discardStaged([a]);
    assert.deepEqual(await listing(dir), ["a.csv"]);
    assert.equal(await Deno.readTextFile(join(dir, "a.csv")), "old");
  }));

Deno.test("stale temporary files: only ours, not this process's, old and of a dead process", () =>
  inTempDir(async (dir) => {
    const now = new Date("2026-06-01T12:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const files: [string, Date][] = [
      [".report.csv.tmp-111-0123abcd", ago(5 * 60_000)], // dead, old: removed
      [".report.csv.tmp-111-0123abce", ago(10_000)], // dead, fresh: kept (may be written)
      [".report.csv.tmp-222-0123abcd", ago(5 * 60_000)], // running, old: kept
      [".report.csv.tmp-222-0123abce", ago(25 * 3600_000)], // running, a day old: removed
      [".report.csv.tmp-333-0123abcd", ago(5 * 60_000)], // unknown, old: removed
      [`.report.csv.tmp-${Deno.pid}-0123abcd`, ago(5 * 60_000)], // this process: kept
      [".report.csv.tmp-111-0123ABCD", ago(5 * 60_000)], // not our pattern (upper case)
      [".report.csv.0123abcd.tmp", ago(5 * 60_000)], // not our pattern (other tools)
      ["report.csv.tmp-111-0123abcd", ago(5 * 60_000)], // not hidden: not ours
      ["report.csv", ago(5 * 60_000)], // a report
    ];
    for (const [name, mtime] of files) {
      await Deno.writeTextFile(join(dir, name), "x");
      await Deno.utime(join(dir, name), mtime, mtime);
    }
    await Deno.mkdir(join(dir, ".dir.tmp-111-0123abcd")); // a directory: never removed
    const removed = await removeStaleTemporaries(dir, {
      now: () => now,
      isRunning: (pid) => pid === 111 ? false : pid === 222 ? true : undefined,
    });
    assert.deepEqual(removed, [
      ".report.csv.tmp-111-0123abcd",
      ".report.csv.tmp-222-0123abce",
      ".report.csv.tmp-333-0123abcd",
    ]);
    assert.deepEqual(
      await listing(dir),
      [
        ".dir.tmp-111-0123abcd",
        ".report.csv.0123abcd.tmp",
        ".report.csv.tmp-111-0123ABCD",
        ".report.csv.tmp-111-0123abce",
        ".report.csv.tmp-222-0123abcd",
        `.report.csv.tmp-${Deno.pid}-0123abcd`,
        "report.csv",
        "report.csv.tmp-111-0123abcd",
      ].sort(),
    );
  }));

Deno.test("stale temporary files: a real dead process is told apart from a live one", () =>
  inTempDir(async (dir) => {
    // A process that has exited: its pid is gone (Linux /proc; elsewhere age alone decides,
    // which here is also past the minute).
    const child = new Deno.Command(Deno.execPath(), { args: ["--version"], stdout: "null" });
    const proc = child.spawn();
    const deadPid = proc.pid;
    await proc.status;
    const live = new Deno.Command("sleep", { args: ["30"] }).spawn();
    try {
      const old = new Date(Date.now() - 5 * 60_000);
      const dead = `.x.csv.tmp-${deadPid}-0123abcd`;
      const running = `.x.csv.tmp-${live.pid}-0123abcd`;
      for (const name of [dead, running]) {
        await Deno.writeTextFile(join(dir, name), "x");
        await Deno.utime(join(dir, name), old, old);
      }
      const removed = await removeStaleTemporaries(dir);
      assert.ok(removed.includes(dead), "the dead run's file is removed");
      if (Deno.build.os === "linux") {
        assert.deepEqual(removed, [dead], "the running process's file is kept");
      }
    } finally {
      live.kill();
      await live.status;
    }
  }));
