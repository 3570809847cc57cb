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

import { startSandbox, type StartSandboxOptions } from "../../sandbox/mod.ts";

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

/** The line the child prints once listening. */
export interface SandboxChildInfo {
  url: string;
  asUrl: string;
  keycloakUrl: string;
  realm: string;
  clientId: string;
  clientSecret: string;
  adminKey: string;
  /** Number of products in the sandbox (all organisations, personal units included). */
  products: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(Deno.args[0] ?? "{}") as SandboxChildOptions;
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
}

if (import.meta.main) await main();
