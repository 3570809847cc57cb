/**
 * The sandbox's one HTTP app: request counting, then fault injection, then the services
 * mounted side by side (AS under `/account-server-api`, Keycloak under `/auth`, XQ under
 * `/xq`, admin under `/_sandbox`). Kept apart from `startSandbox()` so that tests can
 * compose it with stand-in services.
 *
 * @module
 */

import { Hono } from "hono";
import { redact } from "../client/redact.ts";
import type { FaultInjector } from "./faults.ts";
import { classifyPath, MOUNTS } from "./faults_match.ts";
import { routePattern, type StatsCounter } from "./stats.ts";

/**
 * The header every sandbox answer carries, value `1`. The AS client notices it
 * (`AsApi.answeredBySandbox()`), and reports made from such answers say SANDBOX DATA.
 */
export const SANDBOX_HEADER = "X-Squonk2-Sandbox";

/** The parts {@link createGatewayApp} composes. */
export interface GatewayParts {
  /** The AS simulator (relative paths). */
  as: Hono;
  /** The Keycloak simulator (paths relative to `/auth`). */
  keycloak: Hono;
  /** The XQ simulator (paths relative to `/xq`). */
  xq: Hono;
  /** The admin routes (paths relative to `/_sandbox`). */
  admin: Hono;
  /** The fault injector (its middleware runs before every service). */
  faults: FaultInjector;
  /** The request counters (their middleware runs first). */
  stats: StatsCounter;
}

/** Options of {@link createGatewayApp}. */
export interface GatewayOptions {
  /** Receives log lines (internal errors; each request when `logRequests`). @default none */
  log?: (line: string) => void;
  /** Log one line per request: method, route pattern, status, milliseconds. @default false */
  logRequests?: boolean;
}

/** Composes the sandbox's services into one Hono app, ready for `Deno.serve`. */
export function createGatewayApp(parts: GatewayParts, options: GatewayOptions = {}): Hono {
  const app = new Hono();
  const log = options.log;
  if (log && options.logRequests) {
    app.use("*", async (c, next) => {
      const started = performance.now();
      await next();
      const ms = Math.round(performance.now() - started);
      // The route pattern, not the raw path: ids, XQ locator tokens and query strings
      // (PINs) never reach the log.
      const route = routePattern(c);
      const shown = route === "(no route)" ? `${route} ${redact(c.req.path)}` : route;
      log(`${c.req.method} ${shown} ${c.res.status} ${ms}ms`);
    });
  }
  // Every answer says it comes from the sandbox (AS, Keycloak, XQ, admin; faults, errors
  // and 404s included), so clients can mark what they make from it as sandbox data.
  app.use("*", async (c, next) => {
    await next();
    try {
      c.res.headers.set(SANDBOX_HEADER, "1");
    } catch {
      // Immutable headers (a Response built elsewhere): copy it with the marker added.
      const headers = new Headers(c.res.headers);
      headers.set(SANDBOX_HEADER, "1");
      c.res = new Response(c.res.body, {
        status: c.res.status,
        statusText: c.res.statusText,
        headers,
      });
    }
  });
  app.use("*", parts.stats.middleware);
  app.use("*", parts.faults.middleware);
  app.route(MOUNTS.as, parts.as);
  app.route(MOUNTS.keycloak, parts.keycloak);
  app.route(MOUNTS.xq, parts.xq);
  app.route(MOUNTS.admin, parts.admin);
  // Sub-apps mounted with `route()` lose their own notFound, so name the service here.
  app.notFound((c) => {
    const { service, relative } = classifyPath(c.req.path);
    const names = { as: "the Account Server API", keycloak: "Keycloak", xq: "XQ" };
    const error = service === "as" || service === "keycloak" || service === "xq"
      ? `There is no ${c.req.method} ${relative} in ${names[service]}: check the path`
      : `No sandbox route for ${c.req.method} ${c.req.path}: the sandbox serves ` +
        `${Object.values(MOUNTS).join(", ")}`;
    return c.json({ error }, 404);
  });
  app.onError((error, c) => {
    log?.(redact(`Sandbox internal error on ${c.req.method} ${c.req.path}: ${error.message}`));
    return c.json({ error: redact(`Sandbox internal error: ${error.message}`) }, 500);
  });
  return app;
}
