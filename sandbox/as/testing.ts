/**
 * A test harness for the sandbox AS: serves {@link createAsApp} on a loopback port with a
 * stand-in authentication that maps `Authorization: Bearer test-token-<username>` to that
 * demo user's roles (the real Keycloak tokens live in `sandbox/keycloak/`). Every response
 * body is consumed, so Deno's sanitizers stay quiet.
 *
 * @module
 */

import {
  createSandboxState,
  type Principal,
  type SandboxState,
  type SandboxStateOptions,
} from "../state.ts";
import { createAsApp } from "./app.ts";

/** The token the stand-in authentication accepts for `username`. */
export function testToken(username: string): string {
  return `test-token-${username}`;
}

/** A response with its body read (JSON when it parses, else null) and its text. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** A running test server. */
export interface TestAsServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  state: SandboxState;
  /**
   * Calls the AS as `user` (null: no token). `json` sends a JSON body, `form` multipart,
   * `raw` a literal body.
   */
  call(
    user: string | null,
    path: string,
    init?: { method?: string; json?: unknown; form?: FormData; raw?: string },
  ): Promise<TestResponse>;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Maps the stand-in token to the demo user's principal. */
function standInAuthenticate(state: SandboxState) {
  return (request: Request): Promise<Principal | null> => {
    const m = /^Bearer test-token-(.+)$/.exec(request.headers.get("authorization") ?? "");
    const user = m ? state.user(m[1]) : undefined;
    return Promise.resolve(user ? { username: user.username, roles: [...user.roles] } : null);
  };
}

/** Starts the sandbox AS on `127.0.0.1:0` over a fresh state made with `options`. */
export function startTestAsServer(options: SandboxStateOptions = {}): TestAsServer {
  const state = createSandboxState(options);
  const app = createAsApp(state, { authenticate: standInAuthenticate(state) });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    state,
    async call(user, path, init = {}) {
      const headers = new Headers();
      if (user !== null) headers.set("authorization", `Bearer ${testToken(user)}`);
      let body: BodyInit | undefined;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      } else if (init.form) body = init.form;
      else if (init.raw !== undefined) body = init.raw;
      const res = await fetch(url + path, { method: init.method ?? "GET", headers, body });
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text === "" ? null : JSON.parse(text);
      } catch {
        parsed = null;
      }
      return { status: res.status, headers: res.headers, text, body: parsed };
    },
    close: () => server.shutdown(),
  };
}

/**
 * Runs `fn` against a test server over a fresh state made with `options`, and stops the
 * server afterwards, whether `fn` succeeds or throws.
 */
export async function withTestAsServer(
  options: SandboxStateOptions,
  fn: (server: TestAsServer) => Promise<void>,
): Promise<void> {
  const server = startTestAsServer(options);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}
