/**
 * Child process of the fan-out and server benchmarks: starts the sandbox with the sizes and
 * faults given as one JSON argument, prints one JSON line saying how to reach it, and stops
 * when its stdin closes (the parent closing the pipe or dying).
 *
 * The sandbox runs in its own process so that its work (generating charges, serialising
 * JSON) runs on the other core instead of the event loop of the client being measured, as
 * a real Account Server would.
 *
 * Usage: `deno run -A scripts/bench/sandbox_child.ts '{"sizes":{...},"faults":{...}}'`
 *
 * @module
 */

import { UsageError } from "../../client/errors.ts";
import { type RunningSandbox, startSandbox, type StartSandboxOptions } from "../../sandbox/mod.ts";
import { runCli } from "../cli.ts";

/** What the child accepts as its one argument (JSON). */
export interface SandboxChildOptions {
  /** Seed of the demo data. @default 1 */
  seed?: number;
  /** The data clock, ISO 8601. */
  now?: string;
  /** Demo data sizes. */
  sizes?: StartSandboxOptions["sizes"];
  /** Faults, e.g. `{ latencyMs: 20 }`. */
  faults?: StartSandboxOptions["faults"];
}

/** The line the child prints once listening: how to reach the sandbox, and its size. */
export interface SandboxChildInfo extends
  Pick<
    RunningSandbox,
    "url" | "asUrl" | "keycloakUrl" | "realm" | "clientId" | "clientSecret" | "adminKey"
  > {
  /** Number of products in the sandbox (all organisations, personal units included). */
  products: number;
}

const HELP = `Usage: deno run -A scripts/bench/sandbox_child.ts [OPTIONS_JSON]

Starts the sandbox on a free loopback port, prints one JSON line saying how to reach it (URLs,
sandbox-only credentials, product count), and stops when stdin closes. OPTIONS_JSON is an
object with seed, now, sizes and faults, e.g. '{"sizes":{"organisations":10},"faults":{"latencyMs":20}}'.

Exit status: 0 after stdin closed, 1 on failure, 2 on bad usage.`;

function parseOptions(text: string | undefined): SandboxChildOptions {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "{}");
  } catch (error) {
    throw new UsageError(
      `Invalid options JSON "${text}": ${
        (error as Error).message
      }; give an object such as {"seed":1}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`Invalid options JSON "${text}": give an object such as {"seed":1}`);
  }
  return value as SandboxChildOptions;
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const options = parseOptions(args[0]);
  const sandbox = await startSandbox({
    port: 0,
    quiet: true,
    seed: options.seed ?? 1,
    now: options.now,
    sizes: options.sizes,
    faults: options.faults,
    tokenLifetimeS: 3600,
  });
  const info: SandboxChildInfo = {
    url: sandbox.url,
    asUrl: sandbox.asUrl,
    keycloakUrl: sandbox.keycloakUrl,
    realm: sandbox.realm,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    adminKey: sandbox.adminKey,
    products: sandbox.state.products.size,
  };
  console.log(JSON.stringify(info));
  // Stop when the parent closes our stdin (or exits): drain it until EOF.
  for await (const _ of Deno.stdin.readable) { /* nothing is sent */ }
  await sandbox.close();
  return 0;
}

if (import.meta.main) {
  await runCli(main, { name: "sandbox_child" });
}
