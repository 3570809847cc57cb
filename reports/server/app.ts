/**
 * The report server finance uses in a browser: a Hono app (testable with `app.request`)
 * with an index of the organisations, units and products the server's AS credentials can
 * see, a period picker, XLSX/CSV downloads streamed on demand, an archive of stored reports,
 * a chart per organisation, and `/healthz`. Every route but `/healthz` needs credentials.
 * `scripts/serve.ts` serves it with `Deno.serve`.
 *
 * @module
 */

import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { toIsoDate } from "../../client/dates.ts";
import { redact } from "../../client/redact.ts";
import { addArchiveRoutes } from "./archive.ts";
import { createAuth, createAuthCheck } from "./auth.ts";
import { loadCatalog, loadOrganisation } from "./catalog.ts";
import { organisationChart } from "./chart_data.ts";
import { organisationChangeCard } from "./change_table.ts";
import { type ReportServerOptions, serverContext, showsSandbox } from "./context.ts";
import { renderedPage } from "./caches.ts";
import { addDownloadRoutes } from "./downloads.ts";
import { classifyError, errorResponse, httpError } from "./errors.ts";
import { addHealthRoute } from "./health.ts";
import { STYLE_CSS } from "./html.ts";
import { MIN_PAGE_PBP, renderIndexPage, renderOrganisationPage } from "./pages.ts";
import { pageSelectionFromQuery } from "./period_query.ts";
import { looksLikeId } from "../charges/scope.ts";
import { sharedReads } from "./view_calls.ts";

export type { ReportServerCacheOptions, ReportServerOptions, ServerApi } from "./context.ts";
export type { AuthOptions, OidcAuthOptions, Principal } from "./auth.ts";
export { AUTH_REALM, parseAuthTokens } from "./auth.ts";
export {
  ACCEPTED_ALGORITHMS,
  type AccessClaims,
  createJwksVerifier,
  hasRealmRole,
  type JwksVerifier,
  type JwksVerifierOptions,
} from "./oidc.ts";

/**
 * The report server as {@link createReportServer} returns it: a Hono app, typed by what this
 * package promises rather than by Hono's own class, so that the type stays the same when
 * Hono changes. Serve it with `Deno.serve(app.fetch)` (its pages link from the root path, so
 * serve it at the root of its host), and test it with `app.request("/healthz")`.
 */
export interface ReportServerApp {
  /** Answers one request; bound, so it can be passed on as is (e.g. to `Deno.serve`). */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /** Answers a request for a path or URL without a network (tests, scripts); bound too. */
  readonly request: (
    input: RequestInfo | URL,
    init?: RequestInit,
  ) => Response | Promise<Response>;
}

/**
 * Builds the report server's app: the pages, downloads, archive, charts and `/healthz`,
 * every route but `/healthz` behind `options.auth`.
 *
 * @example Serve the reports of the Account Server configured in the environment
 * ```ts
 * import { AsApi, tokenSourceFromEnv } from "@squonk2/billing/client";
 * import { openReportStore } from "@squonk2/billing/reports";
 * import { createReportServer, parseAuthTokens } from "@squonk2/billing/server";
 *
 * const url = "https://example.com/account-server-api";
 * const app = createReportServer({
 *   api: new AsApi({ url }),
 *   tokens: tokenSourceFromEnv(),
 *   sourceUrl: url,
 *   store: await openReportStore("reports-out"),
 *   auth: { tokens: parseAuthTokens(Deno.env.get("REPORTS_AUTH_TOKENS")) },
 * });
 * Deno.serve({ port: 8080, hostname: "127.0.0.1" }, app.fetch);
 * ```
 */
export function createReportServer(options: ReportServerOptions): ReportServerApp {
  const ctx = serverContext(options);
  const app = new Hono();

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: "DENY",
      referrerPolicy: "no-referrer",
      xContentTypeOptions: "nosniff",
      // Plain-HTTP local use is supported; a TLS front end adds HSTS itself.
      strictTransportSecurity: false,
    }),
  );

  app.onError((error, c) => {
    const problem = classifyError(error);
    if (problem.status >= 500) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      ctx.log(
        redact(`serve: ${c.req.method} ${c.req.path} -> ${problem.status}: ${detail}`, ctx.secrets),
      );
    }
    return errorResponse(c, problem, { sandbox: showsSandbox(ctx), secrets: ctx.secrets });
  });
  app.notFound((c) =>
    errorResponse(c, {
      status: 404,
      message:
        "There is no page at this address. Start from the list of organisations, or pick a stored report from the archive.",
    }, {
      sandbox: showsSandbox(ctx),
    })
  );

  addHealthRoute(app, ctx, createAuthCheck(options.auth));
  app.use("*", createAuth(options.auth));

  app.get("/assets/style.css", (c) => {
    c.header("Cache-Control", "private, max-age=3600");
    return c.body(STYLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8" });
  });

  const pagePeriod = (c: { req: { query(name: string): string | undefined } }) =>
    pageSelectionFromQuery({
      pbp: c.req.query("pbp"),
      month: c.req.query("month"),
      period: c.req.query("period"),
    }, { minPbp: MIN_PAGE_PBP, now: ctx.now() });

  app.get("/", async (c) => {
    const period = pagePeriod(c);
    const orgs = await loadCatalog(ctx);
    const now = ctx.now();
    c.header("Cache-Control", "private, no-store");
    // The same cached listings, period and day make the same page: rendered once per
    // catalog (reports/server/caches.ts). The key must name every input but `orgs`.
    return c.html(
      renderedPage(
        ctx.caches,
        orgs,
        `index ${JSON.stringify(period)} ${toIsoDate(now)}`,
        () =>
          renderIndexPage(orgs, {
            period,
            now,
            sandbox: showsSandbox(ctx),
            sourceUrl: ctx.sourceUrl,
          }),
      ),
    );
  });

  const organisationOf = async (id: string, on: typeof ctx = ctx) => {
    if (!looksLikeId("org", id)) {
      throw httpError(
        404,
        "This organisation is not one the report server knows: pick one from the list of organisations",
      );
    }
    return await loadOrganisation(on, id);
  };

  app.get("/organisations/:id", async (c) => {
    const period = pagePeriod(c);
    // One view's identical AS reads are asked once: the chart and the change card both read
    // the organisation's charges of the period and the one before (reports/server/view_calls.ts).
    const view = { ...ctx, api: sharedReads(ctx.api) };
    const org = await organisationOf(c.req.param("id"), view);
    const [chart, change] = await Promise.all([
      organisationChart(view, org),
      organisationChangeCard(view, org, period),
    ]);
    c.header("Cache-Control", "private, no-store");
    return c.html(
      renderOrganisationPage(org, {
        chart,
        change,
        period,
        now: ctx.now(),
        sandbox: showsSandbox(ctx),
        sourceUrl: ctx.sourceUrl,
      }),
    );
  });

  app.get("/charts/organisation/:file", async (c) => {
    const m = /^(.+)\.svg$/.exec(c.req.param("file"));
    if (!m) throw httpError(404, "There is no chart at this address: open an organisation's page");
    const org = await organisationOf(m[1]);
    const chart = await organisationChart(ctx, org);
    return c.body(chart.svg, 200, {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "private, no-store",
    });
  });

  addDownloadRoutes(app, ctx);
  addArchiveRoutes(app, ctx);
  // Hono's `request` takes the `RequestInit` of its own typings, which the Deno that Deno
  // Deploy runs (2.5) does not unify with the global one: a plain Request bridges the two.
  return {
    fetch: app.fetch,
    request: (input, init) => app.request(new Request(absolute(input), init)),
  };
}

/** `app.request` accepts paths; a `Request` needs an absolute URL. */
function absolute(input: RequestInfo | URL): RequestInfo | URL {
  return typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input;
}
