/**
 * Writing files so that each is either complete or absent, and a set of files so that a
 * failure never costs a previous good file:
 *
 * 1. {@link stageFile}: the bytes go to a temporary file next to the target,
 *    `.<name>.tmp-<pid>-<8 hex>`, which is flushed to disk; on failure it is removed.
 * 2. {@link commitStaged}: once every file of the set is staged, each target is checked (a
 *    directory in the way fails here, before any rename), then each temporary file is
 *    renamed over its target.
 * 3. {@link discardStaged}: on any failure, only the temporary files are removed; the
 *    targets stay as they were (absent, or the previous complete version).
 *
 * A run killed between 1 and 2 leaves temporary files behind; {@link removeStaleTemporaries}
 * removes them on the next run into the same directory (see it for the rule).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { BillingError } from "../../client/errors.ts";

/** A complete file under its temporary name, waiting for {@link commitStaged}. */
export interface StagedFile {
  /** Where the file goes. */
  readonly path: string;
  /** Where it is now: `.<name>.tmp-<pid>-<8 hex>` in the same directory. */
  readonly tmp: string;
}

/** Temporary names: `.` + target name + `.tmp-` + process id + `-` + 8 hex digits. */
const TEMPORARY_NAME = /^\.(.+)\.tmp-(\d+)-([0-9a-f]{8})$/;

/** The temporary name for `path` in this process (a fresh random part each call). */
export function temporaryPath(path: string): string {
  const random = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  return join(dirname(path), `.${basename(path)}.tmp-${Deno.pid}-${random}`);
}

/**
 * Runs `write` with a stream into a new temporary file next to `path`, and flushes the file
 * to disk when `write` resolves. `write` should close the stream when it is done (the report
 * writers do); an unlocked stream it left open is closed here. When `write` rejects, aborts
 * the stream, or returns while still holding it open, the temporary file is removed and the
 * writer's own error is rethrown. Nothing appears at `path` until {@link commitStaged}.
 *
 * @throws {BillingError} when the temporary file cannot be created.
 */
export async function stageFile(
  path: string,
  write: (sink: WritableStream<Uint8Array>) => Promise<void>,
): Promise<StagedFile> {
  const tmp = temporaryPath(path);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true });
  } catch (error) {
    throw new BillingError(
      `Cannot create a file in "${dirname(path)}" for "${basename(path)}": ${messageOf(error)}; ` +
        `check that the directory exists and is writable`,
      { cause: error },
    );
  }
  const state = { closed: false, aborted: false, reason: undefined as unknown };
  const sink = new WritableStream<Uint8Array>({
    async write(chunk) {
      await writeAll(file, chunk);
    },
    close() {
      state.closed = true;
    },
    abort(reason) {
      state.aborted = true;
      state.reason = reason;
    },
  });
  try {
    await write(sink);
    if (state.aborted) throw state.reason ?? new BillingError(`Writing "${path}" was aborted`);
    if (!state.closed) {
      if (sink.locked) {
        throw new BillingError(
          `The writer of "${path}" returned without closing its stream: ` +
            `close the stream (or release its writer) before the write function returns`,
        );
      }
      await sink.close();
    }
    await file.syncData();
    file.close();
  } catch (error) {
    closeQuietly(file);
    await removeQuietly(tmp);
    throw error;
  }
  return { path, tmp };
}

/**
 * Moves staged files into place. First every target is checked: one that is a directory
 * fails the whole set before any rename, and every temporary file is removed. Then the files are renamed one by one. A rename that still
 * fails (the disk or directory failed under us) removes the temporary files not yet moved
 * and throws an error naming the targets already replaced (each by its new complete
 * version) and those left as they were.
 *
 * @throws {BillingError} naming the target in the way or the rename that failed.
 */
export async function commitStaged(files: readonly StagedFile[]): Promise<void> {
  for (const f of files) {
    let info: Deno.FileInfo | undefined;
    try {
      info = await Deno.lstat(f.path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        await discardStaged(files);
        throw new BillingError(
          `Cannot check "${f.path}" before writing it: ${messageOf(error)} (nothing was ` +
            `written: ${describe(files)} left as they were)`,
          { cause: error },
        );
      }
    }
    if (info?.isDirectory) {
      await discardStaged(files);
      throw new BillingError(
        `Cannot write "${f.path}": it is a directory; move it away or choose another output ` +
          `name (nothing was written: ${describe(files)} left as they were)`,
      );
    }
  }
  for (let i = 0; i < files.length; i++) {
    try {
      await Deno.rename(files[i].tmp, files[i].path);
    } catch (error) {
      await discardStaged(files.slice(i));
      const done = files.slice(0, i);
      throw new BillingError(
        `Cannot rename the finished file to "${files[i].path}": ${messageOf(error)}; ` +
          `check that the path is not a directory and that the directory is writable` +
          (done.length > 0
            ? ` (already replaced by their new complete versions: ${describe(done)}; ` +
              `left as they were: ${describe(files.slice(i))})`
            : ""),
        { cause: error },
      );
    }
  }
}

/** Removes the temporary files of `files` (never their targets). */
export async function discardStaged(files: readonly StagedFile[]): Promise<void> {
  for (const f of files) await removeQuietly(f.tmp);
}

/**
 * Writes one file atomically: {@link stageFile} then {@link commitStaged}. `path` is either
 * left as it was (absent, or the previous complete version) or holds the complete new file.
 *
 * @throws {BillingError} when the temporary file cannot be created or renamed.
 */
export async function writeFileAtomically(
  path: string,
  write: (sink: WritableStream<Uint8Array>) => Promise<void>,
): Promise<void> {
  await commitStaged([await stageFile(path, write)]);
}

/** Options of {@link removeStaleTemporaries}. */
export interface StaleOptions {
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** A temporary file untouched for less than this is left alone. @default 60_000 (1 min) */
  minAgeMs?: number;
  /**
   * Whether a process id is running on this machine: `true`, `false`, or `undefined` when
   * that cannot be told. @default looks for `/proc/<pid>` (Linux); undefined elsewhere.
   */
  isRunning?: (pid: number) => boolean | undefined;
}

/** After this long without a write, a temporary file is stale whoever holds it. */
const ABANDONED_MS = 24 * 60 * 60 * 1000;

/**
 * Removes temporary files left in `dir` by killed runs, and returns their names. A file is
 * removed only when all of these hold:
 *
 * - its name is exactly ours: `.<name>.tmp-<pid>-<8 hex>` (see {@link temporaryPath}), and it
 *   is a regular file;
 * - it was not made by this process (another export of this process may be writing it);
 * - it was last written more than `minAgeMs` (one minute) ago: a file being written has a
 *   fresh modification time, so a live run on another machine or in another container
 *   sharing the directory keeps its files;
 * - its process is no longer running on this machine, or that cannot be told (not Linux).
 *   A file whose process still runs is kept, since a run may hold a finished file for a
 *   while before renaming it (waiting for the other files of its set), unless it has not
 *   been written for a day (the process id was reused by something else).
 *
 * Failures to read the directory or remove a file are ignored: cleaning up is best effort
 * and never stops an export.
 */
export async function removeStaleTemporaries(
  dir: string,
  options: StaleOptions = {},
): Promise<string[]> {
  const now = (options.now ?? (() => new Date()))().getTime();
  const minAge = options.minAgeMs ?? 60_000;
  const isRunning = options.isRunning ?? processRunning;
  const removed: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const m = TEMPORARY_NAME.exec(entry.name);
      if (!m || !entry.isFile) continue;
      const pid = Number(m[2]);
      if (pid === Deno.pid) continue;
      const path = join(dir, entry.name);
      const info = await Deno.lstat(path).catch(() => undefined);
      const written = info?.mtime?.getTime();
      if (!info?.isFile || written === undefined) continue;
      const age = now - written;
      if (age <= minAge) continue;
      if (isRunning(pid) === true && age <= ABANDONED_MS) continue;
      try {
        await Deno.remove(path);
        removed.push(entry.name);
      } catch {
        // Gone already, or not ours to remove: leave it.
      }
    }
  } catch {
    // The directory cannot be read: nothing to clean up here.
  }
  return removed.sort();
}

/** Whether `pid` runs on this machine, by `/proc/<pid>`; undefined without `/proc`. */
function processRunning(pid: number): boolean | undefined {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return undefined;
    try {
      Deno.statSync("/proc/self");
      return false;
    } catch {
      return undefined;
    }
  }
}

function describe(files: readonly StagedFile[]): string {
  return files.map((f) => `"${f.path}"`).join(", ");
}

async function writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    offset += await file.write(chunk.subarray(offset));
  }
}

function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch {
    // Already closed: nothing to release.
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch {
    // Already gone (or never created): nothing to clean up.
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
