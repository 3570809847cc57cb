/**
 * Plumbing shared by the CSV and XLSX writers: both libraries produce a Node stream, the
 * writers' callers hand in a web `WritableStream` (a file, a `Response` body, a store).
 * {@link pipeToSink} joins the two with backpressure, batches small chunks into larger
 * writes, counts the bytes, closes the sink on success and aborts it on failure.
 *
 * @module
 */

import type { Readable, Writable } from "node:stream";
import { BillingError } from "../../client/errors.ts";

/** Size of the chunks handed to the sink (the last one may be smaller). */
export const SINK_CHUNK_BYTES = 64 * 1024;

/** A running pipe from a Node readable into a web sink. */
export interface SinkPipe {
  /** Resolves with the number of bytes the sink accepted once it is closed; rejects on failure. */
  readonly done: Promise<number>;
  /** The error that stopped the pipe (sink failure or {@link SinkPipe.fail}), if any. */
  error(): unknown;
  /** Stops the pipe with `reason`: the source is destroyed and the sink aborted. */
  fail(reason: unknown): void;
}

/**
 * Starts piping `source` into `sink`. The sink is closed when `source` ends, and aborted when
 * `source` errors or {@link SinkPipe.fail} is called. A failing sink destroys `source`.
 *
 * (Not `Readable.toWeb`: Deno's adapter enqueues data that arrives after the web stream was
 * cancelled and throws an uncaught error, so a failed sink would crash the process.)
 */
export function pipeToSink(
  source: Readable,
  sink: WritableStream<Uint8Array>,
): SinkPipe {
  let stopped: { reason: unknown } | undefined;
  const writer = sink.getWriter();
  const done = (async () => {
    const batch = chunkBatcher();
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        for (const out of batch.add(chunk)) await send(writer, out);
      }
      for (const out of batch.flush()) await send(writer, out);
      await writer.close();
      return batch.bytes();
    } catch (error) {
      stopped ??= { reason: error };
      source.destroy();
      await writer.abort(stopped.reason).catch(() => {});
      throw stopped.reason;
    }
  })();
  // The writers await `done`; this keeps an early failure from being reported as unhandled.
  done.catch(() => {});
  return {
    done,
    error: () => stopped?.reason,
    fail(reason) {
      stopped ??= { reason };
      source.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    },
  };
}

/** Waits for room in the sink, then queues `chunk` (a failed write surfaces at the next wait). */
async function send(writer: WritableStreamDefaultWriter<Uint8Array>, chunk: Uint8Array) {
  await writer.ready;
  writer.write(chunk).catch(() => {});
}

/**
 * Resolves when `stream` can take more data: at once when its buffer is below its high-water
 * mark, else on its next `drain`. Rejects with the pipe's error when the stream is destroyed
 * instead (the sink failed or the pipe was stopped).
 */
export function whenWritable(stream: Writable, pipe: SinkPipe): Promise<void> {
  const failure = pipe.error();
  if (failure !== undefined) return Promise.reject(failure);
  if (stream.destroyed) return Promise.reject(new Error("The output stream was destroyed"));
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      stream.off("drain", onDrain);
      // The pipe settles with the real reason (sink failure or stop) right after the close.
      pipe.done.then(
        () => reject(new Error("The output stream closed before the report was written")),
        reject,
      );
    };
    stream.once("drain", onDrain);
    stream.once("close", onClose);
  });
}

/** Coalesces small chunks into {@link SINK_CHUNK_BYTES} chunks and counts every byte. */
function chunkBatcher() {
  let buffer = new Uint8Array(SINK_CHUNK_BYTES);
  let used = 0;
  let total = 0;
  const take = () => {
    const out = buffer.subarray(0, used);
    buffer = new Uint8Array(SINK_CHUNK_BYTES);
    used = 0;
    return out;
  };
  return {
    bytes: () => total,
    add(chunk: Uint8Array): Uint8Array[] {
      total += chunk.byteLength;
      const out: Uint8Array[] = [];
      if (used + chunk.byteLength > buffer.length && used > 0) out.push(take());
      if (chunk.byteLength >= buffer.length) {
        out.push(new Uint8Array(chunk));
      } else {
        buffer.set(chunk, used);
        used += chunk.byteLength;
      }
      return out;
    },
    flush: (): Uint8Array[] => (used > 0 ? [take()] : []),
  };
}

/**
 * The error both writers throw when a report's row source yields a different number of rows
 * than `report.rowCount` announced (the summary and the totals would not describe the file).
 */
export function rowCountError(expected: number, actual: number): BillingError {
  return new BillingError(
    `The report announced ${expected} rows but its row source yielded ${actual}: ` +
      `rebuild the report so that rowCount matches its rows`,
  );
}
