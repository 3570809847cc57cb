/**
 * The sandbox command line's own small runner: flag parsing with the project's usage
 * errors, and the project's exit codes (0 success, 1 failure, 2 bad usage). The sandbox is a
 * separate program that imports nothing from scripts/, so it keeps this copy of the few
 * lines of scripts/cli.ts it needs.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { isBillingError, UsageError } from "../client/errors.ts";
import { redact } from "../client/redact.ts";

/**
 * Runs `main` with the command-line arguments and exits with its result. A thrown
 * {@link UsageError} exits 2; any other error exits 1 with its message only (redacted).
 * With `--debug` among the arguments the stack is printed too.
 */
export async function runCli(
  main: (args: string[]) => Promise<number>,
  options: { name: string },
): Promise<never> {
  const args = [...Deno.args];
  let code: number;
  try {
    code = await main(args);
  } catch (error) {
    code = reportError(error, options.name, args.includes("--debug"));
  }
  Deno.exit(code);
}

/** Prints `error` to stderr for a user and returns the exit code it calls for. */
function reportError(error: unknown, name: string, debug: boolean): number {
  const secrets = [
    Deno.env.get("SQUONK2_KEYCLOAK_USER_PASSWORD"),
    Deno.env.get("SQUONK2_KEYCLOAK_AS_CLIENT_SECRET"),
    Deno.env.get("SQUONK2_ASAPI_TOKEN"),
    Deno.env.get("XQ_API_KEY"),
    Deno.env.get("XQ_DASHBOARD_API_KEY"),
    Deno.env.get("REPORTS_AUTH_TOKENS"),
  ];
  const message = error instanceof Error ? error.message : String(error);
  const bug = error instanceof TypeError || error instanceof ReferenceError ||
    error instanceof RangeError;
  const text = bug
    ? `internal error: ${message} (this is a bug: run again with --debug and report the output)`
    : message;
  console.error(redact(`${name}: ${text}`, secrets));
  if (error instanceof UsageError && !message.includes("--help")) {
    console.error(`Run with --help for usage.`);
  }
  if (debug && error instanceof Error && error.stack) {
    console.error(redact(error.stack, secrets));
  }
  return isBillingError(error) ? error.exitCode : 1;
}

/**
 * Parses `args` with `node:util` `parseArgs` (strict unless `config.strict` is false). A bad
 * flag becomes a {@link UsageError} (exit 2) that quotes it and points to `--help`.
 */
export function parseFlags<T extends Omit<ParseArgsConfig, "args">>(
  args: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[] }>> {
  try {
    return parseArgs({ ...config, args: [...args] });
  } catch (error) {
    // Node's text goes on about positionals and `--` ; its first sentence names the flag.
    const first = String((error as Error).message ?? error).split(/\.\s|\n/)[0]
      .replace(/\.$/, "").replace(/'/g, '"');
    throw new UsageError(`${first}: see --help for the options`);
  }
}
