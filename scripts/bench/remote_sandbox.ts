/**
 * Runs the sandbox in a child process ({@link startSandboxProcess}) and connects to it as
 * its admin service account, like `scripts/connect.ts` does for an in-process sandbox.
 *
 * @module
 */

import { AsApi } from "../../client/as/mod.ts";
import { BillingError } from "../../client/errors.ts";
import { KeycloakTokenSource } from "../../client/keycloak/keycloak_source.ts";
import type { SandboxStats } from "../../sandbox/mod.ts";
import type { SandboxChildInfo, SandboxChildOptions } from "./sandbox_child.ts";

/** A sandbox running in a child process. */
export interface SandboxProcess {
  /** Where it listens and its sandbox-only credentials. */
  info: SandboxChildInfo;
  /** An AS client for it. */
  api: AsApi;
  /** Tokens of its admin service account (client-credentials grant). */
  tokens: KeycloakTokenSource;
  /** Its request counts (through the admin route). */
  stats(): Promise<SandboxStats>;
  /** Zeroes its request counts. */
  resetStats(): Promise<void>;
  /** Stops the child and waits for it; safe to call twice. */
  close(): Promise<void>;
}

const CHILD = new URL("./sandbox_child.ts", import.meta.url);
const ADMIN_HEADER = "X-Sandbox-Admin-Key";

/**
 * Starts `scripts/bench/sandbox_child.ts` with `options` and resolves once it listens.
 *
 * @throws {BillingError} when the child exits before saying where it listens.
 */
export async function startSandboxProcess(
  options: SandboxChildOptions = {},
): Promise<SandboxProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD.pathname, JSON.stringify(options)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stdin = child.stdin.getWriter();
  let line: string;
  try {
    line = await firstLine(child.stdout);
  } catch (error) {
    await stdin.close().catch(() => {});
    await child.status;
    throw error;
  }
  const info = JSON.parse(line) as SandboxChildInfo;
  const admin = async (method: string, path: string) => {
    const response = await fetch(`${info.url}/_sandbox${path}`, {
      method,
      headers: { [ADMIN_HEADER]: info.adminKey },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new BillingError(
        `Sandbox admin call "${method} ${path}" answered HTTP ${response.status}: check the sandbox child`,
      );
    }
    return await response.json();
  };
  let closing: Promise<void> | undefined;
  return {
    info,
    api: new AsApi({ url: info.asUrl, env: () => undefined }),
    tokens: new KeycloakTokenSource({
      keycloakUrl: info.keycloakUrl,
      realm: info.realm,
      clientId: info.clientId,
      clientSecret: info.clientSecret,
    }),
    stats: () => admin("GET", "/stats"),
    resetStats: async () => {
      await admin("POST", "/stats/reset");
    },
    close() {
      closing ??= (async () => {
        await stdin.close().catch(() => {});
        await child.status;
      })();
      return closing;
    },
  };
}

/** Reads the first line of `stream`, then keeps draining the rest in the background. */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) {
      throw new BillingError(
        `The sandbox child exited before it listened: run "deno run -A ${CHILD.pathname}" to see why`,
      );
    }
    text += value;
  }
  // Nothing more is expected; drain so the child never blocks on a full pipe.
  (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })().catch(() => {});
  return text.slice(0, text.indexOf("\n"));
}
