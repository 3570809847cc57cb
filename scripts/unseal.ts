/**
 * `deno task unseal FILE`: opens a sealed report (`.xqs`, made by `charges --seal-for`).
 * The reader signs in to XQ (email and emailed PIN at a prompt, or an alias for automation),
 * the file's key is fetched by its locator token, and the plain file is written atomically.
 * A refused reader, an expired key or a tampered file is an error and nothing is written.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { UsageError, XqError } from "../client/errors.ts";
import { XqApi } from "../client/xq/api.ts";
import { parseSealed, plainName, unsealBytes } from "../reports/seal/seal.ts";
import { parseFlags, runCli } from "./cli.ts";
import { createPrompter, type Prompter } from "./unseal_prompt.ts";

const HELP = `Usage: deno task unseal FILE [options]

Opens a sealed report (FILE.xqs, written by "deno task charges ... --seal-for") and writes
the plain file next to it (FILE without .xqs) or to --out.

Signing in to XQ:
  by default   asks for your email, XQ emails you a PIN, you type the PIN. When standard
               input is piped, the email and then the PIN are read as lines.
  --email E    use E and skip the email prompt (the PIN is still asked for)
  --alias ID   sign in as the alias user ID, without PIN (automation); the file must have
               been sealed for ID@alias.local

Options:
  --out FILE   where to write the plain file (default: FILE without .xqs)
  --force      overwrite --out if it exists
  --json       print {"file","out","bytes","reader"} as JSON on stdout
  --debug      show stack traces and the (redacted) XQ requests
  --help       show this help

Environment: XQ_API_KEY (required), XQ_SUBSCRIPTION_URL, XQ_VALIDATION_URL.
Exit status: 0 opened, 1 refused, expired, tampered or XQ failure, 2 bad usage or input.
`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PIN_ATTEMPTS = 3;

/** Runs the unseal command with `args`; resolves to the exit status. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseUnsealFlags(args);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `Expected one sealed FILE, got ${positionals.length}: deno task unseal FILE`,
    );
  }
  if (values.email && values.alias) {
    throw new UsageError("Both --email and --alias given: choose one way to sign in");
  }
  const file = positionals[0];
  const sealed = await readInput(file);
  parseSealed(sealed, file); // not a sealed file: exit 2 before anyone is asked for a PIN
  const out = values.out ?? plainName(file);
  if (!values.force && await exists(out)) {
    throw new UsageError(`Output "${out}" already exists: pass --force to overwrite it, or --out`);
  }

  const xq = new XqApi({ log: values.debug ? (line) => console.error(line) : undefined });
  const prompter = createPrompter();
  let reader: string;
  try {
    reader = values.alias
      ? await signInAlias(xq, values.alias)
      : await signInUser(xq, prompter, values.email);
  } finally {
    await prompter.close();
  }
  const plain = await unsealBytes(sealed, xq, { name: file });
  await writeAtomically(out, plain);
  if (values.json) {
    console.log(JSON.stringify({ file, out, bytes: plain.length, reader }));
  } else {
    console.log(`Wrote ${out} (${plain.length} bytes), opened as ${reader}`);
  }
  return 0;
}

function parseUnsealFlags(args: string[]) {
  return parseFlags(args, {
    allowPositionals: true,
    options: {
      out: { type: "string" },
      email: { type: "string" },
      alias: { type: "string" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`Sealed file "${file}" not found: check the path`);
    }
    throw new UsageError(`Cannot read "${file}": ${(error as Error).message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function signInAlias(xq: XqApi, alias: string): Promise<string> {
  const id = alias.trim();
  await xq.authorizeAlias(id.replace(/@alias\.local$/i, ""));
  return id.toLowerCase().endsWith("@alias.local") ? id : `${id}@alias.local`;
}

async function signInUser(xq: XqApi, prompter: Prompter, email?: string): Promise<string> {
  const who = (email ?? await prompter.ask("Email: ", { what: "email" })).trim();
  if (!EMAIL.test(who)) {
    throw new UsageError(`Invalid email "${who}": type the address the file was sealed for`);
  }
  await xq.authorizeUser(who);
  console.error(`XQ sent a PIN to ${who}.`);
  for (let attempt = 1;; attempt++) {
    const pin = await prompter.ask("PIN: ", { secret: true, what: "PIN" });
    try {
      await xq.codeValidate(pin);
      break;
    } catch (error) {
      const wrongPin = error instanceof XqError && error.status >= 400 && error.status < 500;
      if (!wrongPin || attempt >= PIN_ATTEMPTS) throw error;
      console.error("That PIN was not accepted; try again.");
    }
  }
  await xq.exchangeKey();
  return who;
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await Deno.writeFile(tmp, bytes, { createNew: true });
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw new UsageError(
      `Cannot write "${path}": ${(error as Error).message}: check the directory`,
    );
  }
}

if (import.meta.main) {
  await runCli(main, { name: "unseal" });
}
