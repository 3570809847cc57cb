/**
 * Test helper: a `WritableStream` that keeps every chunk and records whether the writer
 * closed or aborted it.
 *
 * @module
 */

/** A sink, its closed/aborted state, and the bytes written so far. */
export interface MemorySink {
  sink: WritableStream<Uint8Array>;
  state: { closed: boolean; aborted: unknown };
  bytes(): Uint8Array;
}

/** Creates a {@link MemorySink}. */
export function memorySink(): MemorySink {
  const chunks: Uint8Array[] = [];
  const state = { closed: false, aborted: undefined as unknown };
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      chunks.push(chunk);
    },
    close() {
      state.closed = true;
    },
    abort(reason) {
      state.aborted = reason ?? "aborted";
    },
  });
  const bytes = () => {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) out.set(c, offset), offset += c.length;
    return out;
  };
  return { sink, state, bytes };
}
