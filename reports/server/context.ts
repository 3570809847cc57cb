/**
 * What the report server is built from: its Account Server access, its report store, its
 * credentials, and the clock.
 *
 * @module
 */

import type { ApiRv } from "../../client/as/api_rv.ts";
import type { StateGetVersionResponse } from "../../client/types.ts";
import type { AccessTokenSource } from "../../client/keycloak/token_source.ts";
import type { ChargesApi } from "../charges/collect_types.ts";
import type { ReportStore } from "../store/types.ts";
import type { AuthOptions } from "./auth.ts";

/** The AS methods the server calls; `AsApi` (client/as/api.ts) satisfies it. */
export interface ServerApi extends ChargesApi {
  /** `GET /version`, no token needed. */
  getVersion(): Promise<ApiRv<StateGetVersionResponse>>;
}

/** Options of `createReportServer`. */
export interface ReportServerOptions {
  /** The AS client. */
  api: ServerApi;
  /** Access tokens of the server's own AS account. */
  tokens: AccessTokenSource;
  /** The AS base URL, stated on pages and in reports. */
  sourceUrl: string;
  /** True when `api` is the sandbox: pages and reports say SANDBOX DATA. @default false */
  sandbox?: boolean;
  /** Where stored reports are listed from; without one the archive page says so. */
  store?: ReportStore;
  /** Who may use the server (every route but `/healthz`). */
  auth: AuthOptions;
  /** The clock (period dates). @default () => new Date() */
  now?: () => Date;
  /** Most AS requests in flight per download. @default 8 */
  concurrency?: number;
  /** Write a UTF-8 BOM at the start of CSV downloads (Excel on Windows). @default true */
  bom?: boolean;
  /** Where to log a failure (already redacted). @default console.error */
  log?: (line: string) => void;
  /** How long `/healthz` waits for the AS. @default 5000 */
  healthTimeoutMs?: number;
}

/** The options with defaults filled in, as route modules see them. */
export interface ServerContext extends Required<Omit<ReportServerOptions, "store" | "auth">> {
  store?: ReportStore;
  /** Secrets to scrub from anything logged or shown. */
  secrets: readonly string[];
}

/** Fills in the defaults of `options`. */
export function serverContext(options: ReportServerOptions): ServerContext {
  return {
    api: options.api,
    tokens: options.tokens,
    sourceUrl: options.sourceUrl,
    sandbox: options.sandbox ?? false,
    store: options.store,
    now: options.now ?? (() => new Date()),
    concurrency: options.concurrency ?? 8,
    bom: options.bom ?? true,
    log: options.log ?? ((line) => console.error(line)),
    healthTimeoutMs: options.healthTimeoutMs ?? 5000,
    secrets: [...(options.auth.tokens ?? [])],
  };
}
