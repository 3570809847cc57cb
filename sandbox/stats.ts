/**
 * Request counting for the sandbox: totals, per service, per method and route pattern,
 * token requests and injected faults. Tests use it to assert how many calls a client made
 * (e.g. that concurrent callers shared one token request).
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { classifyPath, type Service } from "./faults_match.ts";

/** A snapshot of the sandbox's request counts. Admin (`/_sandbox/...`) requests are not counted. */
export interface SandboxStats {
  /** When counting (re)started, ISO 8601 wall time. */
  since: string;
  /** All counted requests. */
  total: number;
  /** Requests to the Keycloak token endpoint, whatever their outcome (faulted ones too). */
  tokenRequests: number;
  /** Faults injected (error statuses, drops, truncations, slow bodies; not latency). */
  faultsInjected: number;
  /** Requests per service. */
  byService: Record<Exclude<Service, "admin">, number>;
  /**
   * Requests per method and route pattern, e.g.
   * `"GET /account-server-api/organisation/:org_id"`; a request no route matched counts
   * under `"<METHOD> (no route)"`.
   */
  byRoute: Record<string, number>;
}

/** The live counters. */
export interface StatsCounter {
  /** A copy of the current counts. */
  snapshot(): SandboxStats;
  /** Sets every count to zero and `since` to now. */
  reset(): void;
  /** Counts one injected fault. */
  countFault(): void;
  /** Hono middleware counting each request by its matched route; install it first. */
  middleware: MiddlewareHandler;
}

/** The Keycloak token endpoint's method and route pattern. */
const TOKEN_ROUTE = "POST /auth/realms/:realm/protocol/openid-connect/token";

function empty(): SandboxStats {
  return {
    since: new Date().toISOString(),
    total: 0,
    tokenRequests: 0,
    faultsInjected: 0,
    byService: { as: 0, keycloak: 0, xq: 0, other: 0 },
    byRoute: {},
  };
}

/**
 * The route pattern that handles the request: the last matched route registered for a
 * specific method (middleware is registered for "ALL"), else the last "ALL" route without a
 * wildcard, else "(no route)".
 */
export function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  const handler = routes.findLast((r) => r.method !== "ALL") ??
    routes.findLast((r) => r.method === "ALL" && !r.path.includes("*"));
  return handler ? handler.path : "(no route)";
}

/** Creates zeroed counters. */
export function createStatsCounter(): StatsCounter {
  let stats = empty();
  return {
    snapshot: () => structuredClone(stats),
    reset() {
      stats = empty();
    },
    countFault() {
      stats.faultsInjected++;
    },
    async middleware(c, next) {
      const { service } = classifyPath(c.req.path);
      if (service !== "admin") {
        // Counted on arrival (matching happens before dispatch), so a request still
        // waiting on latency or a slow body is already visible.
        stats.total++;
        stats.byService[service]++;
        const key = `${c.req.method} ${routePattern(c)}`;
        stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
        if (key === TOKEN_ROUTE) stats.tokenRequests++;
      }
      await next();
    },
  };
}
