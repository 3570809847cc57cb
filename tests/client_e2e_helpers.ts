/**
 * Shared set-up of the client end-to-end tests: a sandbox on port 0, an `AsApi` pointed at
 * it, and real Keycloak tokens for the admin, an ordinary user and an outsider.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startSandbox, type StartSandboxOptions } from "../sandbox/mod.ts";
import { AsApi, type AsApiOptions } from "../client/as_api.ts";
import { KeycloakTokenSource, type KeycloakTokenSourceOptions } from "../client/keycloak.ts";
import type { ApiRv } from "../client/api_rv.ts";

/** The running sandbox type. */
export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** What each end-to-end test gets. */
export interface E2e {
  sb: Sandbox;
  api: AsApi;
  /** Tokens of the admin (`sandbox-admin`), a user (`ada.lovelace`), an outsider (`oscar.outsider`). */
  admin: string;
  user: string;
  outsider: string;
  /** A token source for `username` against the sandbox Keycloak. */
  source(username: string, extra?: Partial<KeycloakTokenSourceOptions>): KeycloakTokenSource;
}

/** Starts a sandbox, runs `fn`, always closes it. */
export async function withSandbox(
  fn: (e: E2e) => Promise<void>,
  options: { sandbox?: StartSandboxOptions; api?: AsApiOptions } = {},
): Promise<void> {
  const sb = await startSandbox({
    port: 0,
    seed: 1,
    now: "2026-11-15T12:00:00Z",
    quiet: true,
    ...options.sandbox,
  });
  try {
    const source = (username: string, extra: Partial<KeycloakTokenSourceOptions> = {}) => {
      const user = sb.users.find((u) => u.username === username);
      assert.ok(user, `sandbox user ${username}`);
      return new KeycloakTokenSource({
        keycloakUrl: sb.keycloakUrl,
        realm: sb.realm,
        clientId: sb.clientId,
        username,
        password: user.password,
        ...extra,
      });
    };
    const api = new AsApi({
      url: sb.asUrl,
      env: () => undefined,
      sleep: () => Promise.resolve(),
      ...options.api,
    });
    const [admin, user, outsider] = await Promise.all(
      ["sandbox-admin", "ada.lovelace", "oscar.outsider"].map((u) => source(u).getToken()),
    );
    await fn({ sb, api, admin, user, outsider, source });
  } finally {
    await sb.close();
  }
}

/** Asserts success and returns the body. */
export function ok<T>(rv: ApiRv<T>, what = "call"): T {
  assert.ok(rv.success, `${what} failed: ${rv.httpStatusCode} ${JSON.stringify(rv.msg)}`);
  return rv.msg;
}

/** Asserts a failure with `status` and a non-empty error text; returns the text. */
export function failed<T>(rv: ApiRv<T>, status: number, what = "call"): string {
  assert.equal(rv.success, false, `${what} should fail, got ${JSON.stringify(rv.msg)}`);
  assert.equal(rv.httpStatusCode, status, `${what}: ${JSON.stringify(rv.msg)}`);
  const error = (rv.msg as { error: string }).error;
  assert.ok(typeof error === "string" && error.length > 0, `${what} error text`);
  return error;
}
