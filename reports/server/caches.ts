/**
 * The report server's caches, one set per server instance (made by `createReportServer`,
 * never shared through module state):
 *
 * - **listings**: what the server's Account Server account can see (organisations, units,
 *   products; one organisation's page data) is reused for `listingTtlMs` (30 s by default)
 *   per AS account, with one request in flight per key; a failed listing is not kept.
 * - **reports**: files of closed periods, rendered once (reports/server/report_cache.ts,
 *   keys from reports/server/download_cache.ts): in memory (LRU bounded by bytes) and, when
 *   the report store offers an area, in `<store>/.render-cache` (or its KV prefix).
 *
 * Everything is keyed by the identity of the AS account behind the server's access token
 * (reports/server/identity.ts): the Account Server decides visibility per token, so what
 * one account may see is never answered to another (e.g. two servers with different AS
 * accounts sharing one store).
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { ReportStore } from "../store/types.ts";
import type { CatalogIndex, CatalogOrganisation } from "./catalog.ts";
import { createIdentityResolver, type IdentityOf } from "./identity.ts";
import { createReportCache, type ReportCache } from "./report_cache.ts";
import { createTtlCache, type TtlCache } from "./ttl_cache.ts";
import { createKeptCache, type KeptCache } from "./kept_cache.ts";
import type { ChangeTable } from "../charges/change_types.ts";

/** Default time Account Server listings are reused: 30 s. */
export const DEFAULT_LISTING_TTL_MS = 30_000;
/** Default bytes of rendered reports kept in memory: 64 MiB. */
export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
/** Most change tables of closed periods kept in memory (a few KB each). */
const CHANGES_KEPT = 500;
/** The store area of the render cache. */
export const RENDER_CACHE_AREA = "render-cache";

/** Options of the report server's caches (`ReportServerOptions.cache`). */
export interface ReportServerCacheOptions {
  /**
   * How long Account Server listings are reused per AS account, in milliseconds; 0 asks
   * the Account Server every time (concurrent requests still share one call).
   * @default 30000
   */
  listingTtlMs?: number;
  /**
   * Where rendered closed-period reports are kept: `"store"` (memory, plus the report
   * store's `render-cache` area when the store has areas), `"memory"` (this process only),
   * or `"off"` (every download renders afresh).
   * @default "store"
   */
  reports?: "store" | "memory" | "off";
  /** Bytes of rendered reports kept in memory (LRU). @default 64 MiB */
  memoryBytes?: number;
  /**
   * Anything else that changes a report's bytes and that the server cannot see (e.g. a
   * deployment id, so that new code never answers files rendered by old code); part of
   * every report key. @default ""
   */
  variant?: string;
  /** A monotonic clock for the listing TTL, in milliseconds. @default performance.now */
  clock?: () => number;
}

/** The caches of one server instance, as route modules see them. */
export interface ServerCaches {
  /** The AS account behind an access token. */
  identityOf: IdentityOf;
  /** Everything the account can see, per account. */
  catalogs: TtlCache<CatalogIndex>;
  /** One organisation's page data, per account and organisation. */
  organisations: TtlCache<CatalogOrganisation>;
  /** Rendered closed-period reports; `undefined` when off. */
  reports?: ReportCache;
  /** Pages rendered from a cached catalog object, by their other inputs. */
  pages: WeakMap<object, Map<string, string>>;
  /**
   * The organisation page's change tables of closed, reconciled periods (keyed like the
   * render cache, reports/server/change_table.ts); `undefined` when the report cache is off.
   */
  changes?: KeptCache<ChangeTable>;
  /**
   * Part of every report key: {@link ReportServerCacheOptions.variant} and the digest of
   * the rendering options ({@link CachedServer.rendering}).
   */
  variant: string;
}

/** What {@link createServerCaches} needs to know about its server. */
export interface CachedServer {
  /** The Account Server's base URL (part of every identity). */
  sourceUrl: string;
  /** The report store, whose `render-cache` area keeps rendered reports. */
  store?: ReportStore;
  /** Where to log. */
  log: (line: string) => void;
  /**
   * Every server option that changes a rendered file's bytes (rates, unpriced rows, ...),
   * as plain JSON data: its digest becomes part of every report key. A new option that
   * changes the bytes must be added here (reports/server/context.ts passes it).
   */
  rendering: unknown;
}

/** Creates the caches of one server instance. */
export function createServerCaches(
  options: ReportServerCacheOptions,
  server: CachedServer,
): ServerCaches {
  const ttlMs = options.listingTtlMs ?? DEFAULT_LISTING_TTL_MS;
  const clock = options.clock;
  const mode = options.reports ?? "store";
  const memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  const store = server.store;
  const area = mode === "store" && store?.area
    ? () => store.area!(RENDER_CACHE_AREA) as Promise<ReportStore>
    : undefined;
  const reports = mode === "off" || (memoryBytes <= 0 && !area)
    ? undefined
    : createReportCache({ memoryBytes, store: area, log: server.log });
  return {
    identityOf: createIdentityResolver(server.sourceUrl),
    catalogs: createTtlCache({ ttlMs, clock, maxEntries: 64 }),
    organisations: createTtlCache({ ttlMs, clock, maxEntries: 1000 }),
    reports,
    pages: new WeakMap(),
    changes: mode === "off" ? undefined : createKeptCache<ChangeTable>(CHANGES_KEPT),
    variant: `${options.variant ?? ""}\n${
      createHash("sha256").update(JSON.stringify(server.rendering) ?? "", "utf8").digest("hex")
    }`,
  };
}

/** Most pages kept per catalog object (one per period and day asked for). */
const PAGES_PER_SOURCE = 64;

/**
 * The page `render()` makes from `source` (a cached catalog object) and the inputs named by
 * `key`, rendered once per catalog object: the same listings, period and day make the same
 * HTML. `key` must name every input of `render` other than `source`. A new catalog object
 * (after the listing TTL) starts afresh; with a listing TTL of 0 nothing is reused.
 */
export function renderedPage(
  caches: ServerCaches,
  source: object,
  key: string,
  render: () => string,
): string {
  let pages = caches.pages.get(source);
  if (!pages) {
    pages = new Map();
    caches.pages.set(source, pages);
  }
  const found = pages.get(key);
  if (found !== undefined) return found;
  const page = render();
  if (pages.size >= PAGES_PER_SOURCE) pages.delete(pages.keys().next().value as string);
  pages.set(key, page);
  return page;
}
