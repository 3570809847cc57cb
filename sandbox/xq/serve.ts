/**
 * A stand-alone XQ simulator on a loopback port, for tests and scripts that need XQ alone
 * (the full sandbox, `sandbox/mod.ts`, mounts the same app under `/xq`). It owns a clock
 * that tests can move forward to expire packets and tokens.
 *
 * @example
 * ```ts
 * import { XqApi } from "@squonk2/billing/client";
 *
 * const xq = serveXqSandbox();
 * const { apiKey, subscriptionUrl, validationUrl } = xq;
 * const api = new XqApi({ apiKey, subscriptionUrl, validationUrl });
 * console.log(await api.validateApiKey());
 * await xq.close();
 * ```
 *
 * @module
 */

import { Hono } from "hono";
import { createXqApp, type TokenReplyForm } from "./app.ts";
import type { OutboxMessage } from "./store.ts";

export type { OutboxMessage } from "./store.ts";
export type { TokenReplyForm } from "./app.ts";

/** Options of {@link serveXqSandbox}; all optional. */
export interface ServeXqOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Seed for PINs and tokens (default 1). */
  seed?: number;
  /** The general API key the simulator accepts (default a fixed sandbox key). */
  apiKey?: string;
  /** The dashboard key (default a fixed sandbox key). */
  dashboardApiKey?: string;
  /** The admin key guarding the outbox (default a fixed sandbox key). */
  adminKey?: string;
  /** Start time of the simulator clock (default the real time). */
  start?: Date;
  /** How token replies are worded (default `"text"`; see {@link XqSandbox.setTokenReplies}). */
  tokenReplies?: TokenReplyForm;
}

/** A running XQ simulator. */
export interface XqSandbox {
  /** Base URL, e.g. `http://127.0.0.1:1234/xq`. */
  url: string;
  /** `${url}/subscription/v2`. */
  subscriptionUrl: string;
  /** `${url}/validation/v2`. */
  validationUrl: string;
  /** The accepted general API key. */
  apiKey: string;
  /** The dashboard key (refused by subscription and validation). */
  dashboardApiKey: string;
  /** Guards the outbox route. */
  adminKey: string;
  /** The simulator clock. */
  now(): Date;
  /** Moves the simulator clock forward by `ms`. */
  advance(ms: number): void;
  /**
   * Switches how token replies are worded: plain text (XQ's form), a JSON string, or the
   * bare token labelled `application/json`.
   */
  setTokenReplies(form: TokenReplyForm): void;
  /** PIN messages sent so far, optionally only those to `to` (through the HTTP outbox route). */
  outbox(to?: string): Promise<OutboxMessage[]>;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts the XQ simulator on loopback (see {@link ServeXqOptions}). */
export function serveXqSandbox(options: ServeXqOptions = {}): XqSandbox {
  let offset = 0;
  const base = options.start?.getTime();
  const now = () => new Date((base ?? Date.now()) + offset);
  const apiKey = options.apiKey ?? "sandbox-xq-general-api-key-0001";
  const dashboardApiKey = options.dashboardApiKey ?? "sandbox-xq-dashboard-api-key-0001";
  const adminKey = options.adminKey ?? "sandbox-admin-key-0001";
  let replies: TokenReplyForm = options.tokenReplies ?? "text";
  const app = createXqApp({
    now,
    apiKey,
    dashboardApiKey,
    adminKey,
    seed: options.seed ?? 1,
    tokenReplies: () => replies,
  });
  // Mounted under /xq exactly as sandbox/mod.ts does, so URLs match the full sandbox.
  const root = new Hono().route("/xq", app);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen: () => {} },
    root.fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}/xq`;
  return {
    url,
    subscriptionUrl: `${url}/subscription/v2`,
    validationUrl: `${url}/validation/v2`,
    apiKey,
    dashboardApiKey,
    adminKey,
    now,
    advance(ms) {
      offset += ms;
    },
    setTokenReplies(form) {
      replies = form;
    },
    async outbox(to) {
      const query = to ? `?to=${encodeURIComponent(to)}` : "";
      const res = await fetch(`${url}/_outbox${query}`, {
        headers: { "x-sandbox-admin-key": adminKey },
      });
      const body = await res.json() as { messages?: OutboxMessage[] };
      return body.messages ?? [];
    },
    close: () => server.shutdown(),
  };
}
