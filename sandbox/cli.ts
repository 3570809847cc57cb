/**
 * The project's command-line runner, written once for every program of the project: the
 * sandbox (sandbox/main.ts) and the scripts (scripts/cli.ts re-exports it). Running a main
 * function with the project's exit codes (0 success, 1 failure, 2 bad usage or input),
 * printing errors without stack traces unless `--debug`, never printing a secret, and
 * parsing flags into the project's usage errors.
 *
 * It lives in sandbox/, not scripts/, because the sandbox is a separate program that may
 * import nothing from scripts/, while scripts/ may import the sandbox; it needs nothing but
 * the error hierarchy and redaction from client/.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { isBillingError, UsageError } from "../client/errors.ts";
import { redact } from "../client/redact.ts";

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** The program's name, used as the prefix of error lines (e.g. "charges"). */
  name: string;
  /** Secrets to scrub from anything printed (passwords, client secrets, API keys). */
  secrets?: readonly (string | undefined)[];
}

/**
 * Runs `main` with the command-line arguments and exits with its result. A thrown
 * {@link UsageError} exits 2; any other error (an `ApiError`, a `ProtocolError` for an
 * answer that does not fit its schema, a `ReconciliationError`, ...) exits 1 with its
 * message only. With `--debug` among the arguments the stack is printed too.
 */
export async function runCli(
  main: (args: string[]) => Promise<number>,
  options: RunCliOptions,
): Promise<never> {
  const args = [...Deno.args];
  const debug = args.includes("--debug");
  let code: number;
  try {
    code = await main(args);
  } catch (error) {
    code = reportError(error, { ...options, debug });
  }
  Deno.exit(code);
}

/** Prints `error` to stderr for a user and returns the exit code it calls for. */
export function reportError(
  error: unknown,
  options: RunCliOptions & { debug?: boolean },
): number {
  const secrets = [
    ...(options.secrets ?? []),
    Deno.env.get("SQUONK2_KEYCLOAK_USER_PASSWORD"),
    Deno.env.get("SQUONK2_KEYCLOAK_AS_CLIENT_SECRET"),
    Deno.env.get("SQUONK2_ASAPI_TOKEN"),
    Deno.env.get("XQ_API_KEY"),
    Deno.env.get("XQ_DASHBOARD_API_KEY"),
    Deno.env.get("REPORTS_AUTH_TOKENS"),
  ];
  const message = error instanceof Error ? error.message : String(error);
  // A ProtocolError (an answer that does not fit its schema) is a BillingError like any
  // other: its message names the method, endpoint and bad field, and it exits 1. An error
  // of the language itself is a bug here, never a reason to trust partial results: say so.
  const bug = error instanceof TypeError || error instanceof ReferenceError ||
    error instanceof RangeError;
  const text = bug
    ? `internal error: ${message} (this is a bug: run again with --debug and report the output)`
    : message;
  console.error(redact(`${options.name}: ${text}`, secrets));
  if (error instanceof UsageError && !message.includes("--help")) {
    console.error(`Run with --help for usage.`);
  }
  if (options.debug && error instanceof Error && error.stack) {
    console.error(redact(error.stack, secrets));
  }
  return isBillingError(error) ? error.exitCode : 1;
}

/** The flag definitions of {@link parseFlags}: `node:util` `parseArgs` options without `args`. */
export type FlagsConfig = Omit<ParseArgsConfig, "args">;

/**
 * Parses `args` with `node:util` `parseArgs` (strict unless `config.strict` is false). A bad
 * flag becomes a {@link UsageError} (exit 2) that quotes it and points to `--help`, instead
 * of Node's multi-sentence text.
 *
 * @example
 * ```ts
 * const { values } = parseFlags(["--port", "8080"], { options: { port: { type: "string" } } });
 * ```
 */
export function parseFlags<T extends FlagsConfig>(
  args: readonly string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[] }>> {
  try {
    return parseArgs({ ...config, args: [...args] });
  } catch (error) {
    const text = String((error as Error).message ?? error);
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const flag = /'([^']+)'/.exec(text)?.[1] ?? "";
      throw new UsageError(unknownOptionMessage(flag, Object.keys(config.options ?? {})));
    }
    const valueMessage = optionValueMessage(text);
    if (valueMessage !== undefined) throw new UsageError(valueMessage);
    // Node's text goes on about positionals and `--` ; its first sentence names the flag.
    const first = text.split(/\.\s|\n/)[0].replace(/\.$/, "").replace(/'/g, '"');
    throw new UsageError(`${first}: see --help for the options`);
  }
}

/**
 * A plain message for a flag given without its value (Node says "argument missing" or, when
 * the next word starts with a dash, "argument is ambiguous"), or `undefined` for other texts.
 */
function optionValueMessage(text: string): string | undefined {
  const flag = /'(-{1,2}[^' <]+)/.exec(text)?.[1];
  if (flag === undefined) return undefined;
  if (/argument missing/.test(text)) {
    return `Option ${flag} needs a value. Run with --help to see the options`;
  }
  if (/argument is ambiguous/.test(text)) {
    return `Option ${flag} needs a value, and the word after it starts with a dash: give the ` +
      `value, or write a value that starts with a dash as ${flag}=VALUE (e.g. ${flag}=-5). ` +
      `Run with --help to see the options`;
  }
  return undefined;
}

/**
 * The message for an unknown flag, suggesting the closest known option when one is near
 * (a typo, or the start of a longer name), e.g. `Unknown option --sandbx: did you mean
 * --sandbox? Run with --help to see the options`.
 */
export function unknownOptionMessage(flag: string, options: readonly string[]): string {
  const name = flag.replace(/^-+/, "").split("=")[0];
  const closest = closestOption(name, options);
  const shown = flag.split("=")[0] || flag;
  const hint = closest === undefined ? "" : `: did you mean --${closest}?`;
  return `Unknown option ${shown}${hint}${hint ? "" : "."} Run with --help to see the options`;
}

/** The known option nearest to `name` (edit distance, or a prefix), if any is near enough. */
function closestOption(name: string, options: readonly string[]): string | undefined {
  if (name === "") return undefined;
  const lower = name.toLowerCase();
  let best: { option: string; distance: number } | undefined;
  for (const option of options) {
    const distance = option.startsWith(lower) || lower.startsWith(option)
      ? Math.min(1, editDistance(lower, option))
      : editDistance(lower, option);
    if (best === undefined || distance < best.distance) best = { option, distance };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.min(3, Math.floor(lower.length / 3)));
  return best.distance <= allowed ? best.option : undefined;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
