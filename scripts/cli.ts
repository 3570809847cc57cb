/**
 * What every script shares: running a main function with the project's exit codes
 * (0 success, 1 failure, 2 bad usage or input), printing errors without stack traces
 * unless `--debug`, never printing a secret (all three from sandbox/cli.ts), a progress
 * line on stderr when stderr is a terminal, and reading a port.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";

// The runner, its error report and flag parsing are written once, in sandbox/cli.ts: the
// sandbox is a separate program that may import nothing from scripts/, while scripts may
// import the sandbox. This module adds what only the scripts need (progress, ports).
export {
  type FlagsConfig,
  parseFlags,
  reportError,
  runCli,
  type RunCliOptions,
} from "../sandbox/cli.ts";

/** A progress line on stderr that redraws in place; silent when stderr is not a terminal. */
export interface Progress {
  /** Advances by `n` (default 1) and redraws at most every 100 ms. */
  tick(n?: number): void;
  /** Clears the line. */
  done(): void;
}

/** Creates a progress bar labelled `label` towards `total` steps. */
export function createProgress(label: string, total: number): Progress {
  const enabled = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let count = 0;
  let last = 0;
  const draw = () => {
    const width = 30;
    const ratio = total > 0 ? Math.min(1, count / total) : 1;
    const filled = Math.round(ratio * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    Deno.stderr.writeSync(encoder.encode(`\r${label} [${bar}] ${count}/${total}`));
  };
  return {
    tick(n = 1) {
      count += n;
      if (!enabled) return;
      const now = Date.now();
      if (now - last >= 100 || count >= total) {
        last = now;
        draw();
      }
    },
    done() {
      if (enabled) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    },
  };
}

/**
 * Reads a TCP port from a flag or variable value: 0 (any free port) up to 65535.
 *
 * @throws {UsageError} naming `source` (e.g. "--port") and the valid range.
 */
export function parsePort(text: string, source = "--port"): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`Invalid ${source} "${text}": use 0 (any free port) up to 65535`);
  }
  return port;
}
