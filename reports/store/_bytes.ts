/**
 * Byte plumbing shared by the report stores: re-chunking a stream to a fixed size while
 * hashing it, so that neither store holds a whole report in memory.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** Running SHA-256 and size of the bytes seen so far. */
export interface ByteTally {
  /** Bytes seen so far. */
  readonly size: number;
  /** Lower-case hex SHA-256 of everything seen; call once, after the last chunk. */
  digest(): string;
}

/**
 * Yields the bytes of `source` in chunks of exactly `chunkSize` bytes (the last one may be
 * shorter, and an empty source yields nothing), updating `tally` as it goes.
 */
export async function* rechunk(
  source: Uint8Array | ReadableStream<Uint8Array>,
  options: { chunkSize: number; tally?: (piece: Uint8Array) => void },
): AsyncGenerator<Uint8Array> {
  const { chunkSize, tally } = options;
  if (source instanceof Uint8Array) {
    tally?.(source);
    for (let i = 0; i < source.length; i += chunkSize) {
      yield source.subarray(i, Math.min(source.length, i + chunkSize));
    }
    return;
  }
  let buffer = new Uint8Array(chunkSize);
  let filled = 0;
  for await (const piece of source) {
    tally?.(piece);
    let offset = 0;
    while (offset < piece.length) {
      const n = Math.min(chunkSize - filled, piece.length - offset);
      buffer.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === chunkSize) {
        yield buffer;
        buffer = new Uint8Array(chunkSize);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** Creates a running SHA-256 + size counter and the function that feeds it. */
export function createTally(): { tally: ByteTally; feed: (piece: Uint8Array) => void } {
  const hash = createHash("sha256");
  let size = 0;
  return {
    feed(piece) {
      hash.update(piece);
      size += piece.length;
    },
    tally: {
      get size() {
        return size;
      },
      digest() {
        return hash.digest("hex");
      },
    },
  };
}
