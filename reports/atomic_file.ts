/**
 * Writing a file so that it is either complete or absent: the bytes go to a temporary
 * file in the same directory (`.<name>.<random>.tmp`), which is flushed to disk and renamed
 * over `path` only when the writer succeeded. On failure the temporary file is removed and
 * `path` is left as it was (absent, or the previous complete version).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { BillingError } from "../client/errors.ts";

/**
 * Runs `write` with a stream into a temporary file next to `path` and renames that file to
 * `path` when `write` resolves. `write` should close the stream when it is done (the report
 * writers do); an unlocked stream it left open is closed here. When `write` rejects, aborts
 * the stream, or returns while still holding it open, no file appears at `path`, the
 * temporary file is removed, and the writer's own error is rethrown.
 *
 * @throws {BillingError} when the temporary file cannot be created or renamed.
 */
export async function writeFileAtomically(
  path: string,
  write: (sink: WritableStream<Uint8Array>) => Promise<void>,
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
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
  try {
    await Deno.rename(tmp, path);
  } catch (error) {
    await removeQuietly(tmp);
    throw new BillingError(
      `Cannot rename the finished file to "${path}": ${messageOf(error)}; ` +
        `check that the path is not a directory and that the directory is writable`,
      { cause: error },
    );
  }
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
