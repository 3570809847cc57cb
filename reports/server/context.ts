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
import type { RateTable } from "../pricing/rates.ts";
import { DEFAULT_FLAG_CHANGE, parseFlagChange } from "../charges/change.ts";
import type { AuthOptions } from "./auth.ts";
import { createServerCaches, type ReportServerCacheOptions, type ServerCaches } from "./caches.ts";

export type { ReportServerCacheOptions } from "./caches.ts";

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
  /**
   * Prices per coin (`REPORTS_RATES`, see reports/pricing): every download is priced in
   * money. Without it downloads carry coins only.
   */
  rates?: RateTable;
  /** With `rates`: leave rows of units without a rate unpriced instead of failing. @default false */
  allowUnpriced?: boolean;
  /**
   * The Change sheet's (and the organisation page's change card's) flag threshold in
   * percent, a decimal string (`REPORTS_FLAG_CHANGE`): changes above it, either way, are
   * flagged. Not a percentage: `createReportServer` throws a `UsageError`. @default "25"
   */
  flagChange?: string;
  /** How long `/healthz` waits for the AS. @default 5000 */
  healthTimeoutMs?: number;
  /**
   * The listing cache and the cache of rendered closed-period reports (see
   * reports/server/caches.ts). @default listings kept 30 s; reports in memory, and in the
   * store's render cache when `store` has one
   */
  cache?: ReportServerCacheOptions;
}

/** The options with defaults filled in, as route modules see them. */
export interface ServerContext
  extends Required<Omit<ReportServerOptions, "store" | "auth" | "cache" | "rates">> {
  /** The report store, when there is one. */
  store?: ReportStore;
  /** Prices per coin, when downloads are priced. */
  rates?: RateTable;
  /** Secrets to scrub from anything logged or shown. */
  secrets: readonly string[];
  /** This server instance's caches (listings, rendered reports). */
  caches: ServerCaches;
}

/**
 * Whether pages must say SANDBOX DATA: the server was started on the sandbox, or any answer
 * its client has had so far carried the sandbox's mark (`X-Squonk2-Sandbox`), as when the
 * environment points at a standalone `deno task sandbox`. Downloads are marked per report
 * the same way (reports/charges/collect.ts).
 */
export function showsSandbox(ctx: Pick<ServerContext, "sandbox" | "api">): boolean {
  return ctx.sandbox || ctx.api.answeredBySandbox?.() === true;
}

/** Fills in the defaults of `options`. */
export function serverContext(options: ReportServerOptions): ServerContext {
  // A threshold that is not a percentage is a usage error here, not a wrong sheet later.
  const flagChange = parseFlagChange(options.flagChange ?? DEFAULT_FLAG_CHANGE);
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
    rates: options.rates,
    allowUnpriced: options.allowUnpriced ?? false,
    flagChange,
    secrets: [...(options.auth.tokens ?? [])],
    caches: createServerCaches(options.cache ?? {}, {
      sourceUrl: options.sourceUrl,
      store: options.store,
      log: options.log ?? ((line) => console.error(line)),
      // Everything else that changes a rendered file's bytes: part of every cache key.
      rendering: {
        rates: options.rates?.rates ?? null,
        allowUnpriced: options.allowUnpriced ?? false,
        // The XLSX Change sheet's flags (REPORTS_FLAG_CHANGE).
        flagChange,
      },
    }),
  };
}
