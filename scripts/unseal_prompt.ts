/**
 * Line prompts on standard input for `scripts/unseal.ts`: the question goes to stderr (stdout
 * stays for the result), the answer is read line by line so a caller can pipe one answer at
 * a time, and a secret (the PIN) is typed without echo when stdin is a terminal.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";

/** Asks questions on stderr and reads answers from stdin. */
export interface Prompter {
  /** Prints `question` and resolves to the next line (trimmed); UsageError at end of input. */
  ask(question: string, options?: { secret?: boolean; what?: string }): Promise<string>;
  /** Releases standard input. */
  close(): Promise<void>;
}

/** Creates a prompter over `Deno.stdin` (a terminal gets no echo for secrets). */
export function createPrompter(): Prompter {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const terminal = Deno.stdin.isTerminal();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let pending = new Uint8Array(0);
  let ended = false;

  async function more(): Promise<boolean> {
    reader ??= Deno.stdin.readable.getReader();
    const { value, done } = await reader.read();
    if (done || !value) {
      ended = true;
      return false;
    }
    const next = new Uint8Array(pending.length + value.length);
    next.set(pending, 0);
    next.set(value, pending.length);
    pending = next;
    return true;
  }

  async function readLine(): Promise<string | undefined> {
    for (;;) {
      const at = pending.findIndex((b) => b === 0x0a || b === 0x0d);
      if (at >= 0) {
        const line = decoder.decode(pending.subarray(0, at));
        const skip = pending[at] === 0x0d && pending[at + 1] === 0x0a ? 2 : 1;
        pending = pending.slice(at + skip);
        return line;
      }
      if (ended || !(await more())) {
        if (pending.length === 0) return undefined;
        const line = decoder.decode(pending);
        pending = new Uint8Array(0);
        return line;
      }
    }
  }

  async function readSecretLine(): Promise<string | undefined> {
    // A terminal in raw mode: collect keys without echo, honour backspace and Ctrl-C.
    Deno.stdin.setRaw(true);
    try {
      let text = "";
      for (;;) {
        if (pending.length === 0 && !(await more())) return text || undefined;
        const byte = pending[0];
        pending = pending.slice(1);
        if (byte === 0x03) throw new UsageError("Cancelled at the PIN prompt");
        if (byte === 0x0d || byte === 0x0a) return text;
        if (byte === 0x7f || byte === 0x08) text = text.slice(0, -1);
        else if (byte >= 0x20) text += String.fromCharCode(byte);
      }
    } finally {
      Deno.stdin.setRaw(false);
      Deno.stderr.writeSync(encoder.encode("\n"));
    }
  }

  return {
    async ask(question, options = {}) {
      Deno.stderr.writeSync(encoder.encode(question));
      const line = options.secret && terminal ? await readSecretLine() : await readLine();
      if (line === undefined) {
        throw new UsageError(
          `No ${
            options.what ?? "answer"
          } on standard input: type it at the prompt, or pipe it as a line`,
        );
      }
      return line.trim();
    },
    async close() {
      if (reader) {
        await reader.cancel().catch(() => {});
        reader.releaseLock();
      }
    },
  };
}
