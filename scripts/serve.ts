/**
 * `deno task serve`: the report server finance uses in a browser.
 *
 * With `--sandbox` it starts the sandbox in this process, uses it, and prints the URL and a
 * generated access secret (with `--json`, as the first line of stdout). Otherwise the AS URL
 * and credentials come from the environment, and it refuses to start (exit 2) unless
 * `REPORTS_AUTH_TOKENS` or `REPORTS_OIDC_ISSUER` says who may use it.
 *
 * @module
 */

import { UsageError } from "../client/errors.ts";
import { createReportServer, parseAuthTokens } from "../reports/server/app.ts";
import { type OpenReportStore, openReportStore } from "../reports/store/open.ts";
import { parseFlags, parsePort, runCli } from "./cli.ts";
import { envWiring, sandboxWiring } from "./serve_wiring.ts";
import { ratesFromEnv } from "../reports/pricing/env.ts";

const HELP = `Usage: deno task serve [options]

Serves the charges reports finance downloads in a browser: organisations, units and
products with XLSX, CSV and FOCUS 1.2 CSV downloads per billing period, a chart per
organisation, and the archive of stored reports. Every page but /healthz needs credentials.

A download is served only when its totals agree with the Account Server's own totals;
otherwise the answer is 502 with a page naming the totals that differ (JSON with
"Accept: application/json"), and no file. An Account Server answer that does not have its
documented form (empty, wrong type, HTML) is 502 too, on every page. Only a good file has
the X-Report-Rows, X-Report-Total-Coins and X-Report-Sandbox headers.

Options:
  --port N         Port to listen on (default $PORT or 8080; 0 picks a free one)
  --host NAME      Interface to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --store SPEC     Report store of the archive page: a directory, "kv" or "kv:PATH"
                   (default $REPORTS_STORE or ./reports-out)
  --sandbox        Start the built-in sandbox in this process and serve its data
                   (SANDBOX DATA); prints a generated access secret
  --json           Print one JSON line {"url","secret",...} on stdout once listening
  --quiet          No access log (by default one line per request on stderr:
                   method, path, status, duration; never a query string or header)
  --debug          Print stack traces of errors
  -h, --help       Show this help

Environment (without --sandbox):
  SQUONK2_ASAPI_URL, SQUONK2_KEYCLOAK_*   the Account Server and the server's own account
  REPORTS_AUTH_TOKENS   comma-separated secrets: "Authorization: Bearer <secret>" for
                        scripts, or HTTP Basic (any username, the secret as password)
  REPORTS_OIDC_ISSUER   optional Keycloak realm URL (https://host/auth/realms/NAME) whose
                        access tokens are accepted (RS256/ES256, verified with its JWKS,
                        typ Bearer, 30 s clock leeway)
  REPORTS_OIDC_AUDIENCE with the issuer, required: the client id tokens must be for
                        (accepted when "aud" contains it or "azp" equals it)
  REPORTS_OIDC_ROLE     with the issuer, required: the realm role such tokens must carry,
                        or * to let in every user of the realm on purpose
  REPORTS_RATES         optional rates file (subject,currency,price_per_coin,effective_from):
                        every download is priced in money (also with --sandbox)
  REPORTS_ALLOW_UNPRICED  yes: rows of units without a rate stay unpriced (default: such a
                        download is refused, naming the unit)
  REPORTS_FLAG_CHANGE   XLSX downloads carry a Change sheet (this period against the one
                        before); units and products that changed by more than this many
                        percent, either way, are flagged there and on the organisation
                        page (default 25; also with --sandbox)
At least one of REPORTS_AUTH_TOKENS and REPORTS_OIDC_ISSUER is required.

Caches (also with --sandbox):
  REPORTS_LISTING_TTL_S   seconds the Account Server's listings (organisations, units,
                          products) are reused for the pages (default 30; 0: ask every time)
  REPORTS_CACHE           where downloads of closed periods are kept once rendered: store
                          (default: <store>/.render-cache, or the KV store's own area, plus
                          memory), memory, or off. The open period is always rendered afresh,
                          and a report whose totals do not reconcile is never kept.
  REPORTS_CACHE_MEMORY_MB megabytes of rendered files kept in memory (default 64)
/healthz answers {"status":"ok"} or 503 {"status":"unavailable"} to anyone; the Account
Server's version or the reason it is unavailable only with credentials.

Exit status: 0 after a clean shutdown (Ctrl-C), 1 on failure, 2 on bad usage or config.`;

interface ServeFlags {
  port: number;
  host: string;
  store: string;
  sandbox: boolean;
  json: boolean;
  quiet: boolean;
}

function parseServeFlags(args: string[]): ServeFlags | "help" {
  const parsed = parseFlags(args, {
    options: {
      port: { type: "string" },
      host: { type: "string" },
      store: { type: "string" },
      sandbox: { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const v = parsed.values;
  if (v.help) return "help";
  const port = v.port === undefined
    ? parsePort(Deno.env.get("PORT") ?? "8080", "PORT")
    : parsePort(v.port);
  return {
    port,
    host: v.host ?? "127.0.0.1",
    store: v.store ?? Deno.env.get("REPORTS_STORE") ?? "reports-out",
    sandbox: v.sandbox === true,
    json: v.json === true,
    quiet: v.quiet === true,
  };
}

/**
 * One line per request on stderr: method, path (no query string, no headers: nothing that
 * could carry a credential), status and duration.
 */
function withAccessLog(
  handler: (request: Request) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const res = await handler(request);
    const path = new URL(request.url).pathname;
    const ms = Math.round(performance.now() - started);
    console.error(`serve: ${request.method} ${path} ${res.status} ${ms}ms`);
    return res;
  };
}

async function main(args: string[]): Promise<number> {
  const flags = parseServeFlags(args);
  if (flags === "help") {
    console.log(HELP);
    return 0;
  }
  // REPORTS_RATES first: a bad rates file exits 2 before anything starts.
  const pricing = await ratesFromEnv((n) => Deno.env.get(n));
  const wiring = flags.sandbox ? await sandboxWiring() : envWiring();
  let store: OpenReportStore | undefined;
  try {
    store = await openReportStore(flags.store);
    const app = createReportServer({
      api: wiring.api,
      tokens: wiring.tokens,
      sourceUrl: wiring.sourceUrl,
      sandbox: flags.sandbox,
      store,
      auth: wiring.auth,
      cache: wiring.cache,
      rates: pricing.rates,
      allowUnpriced: pricing.allowUnpriced,
      flagChange: wiring.flagChange,
    });
    const controller = new AbortController();
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({
        port: flags.port,
        hostname: flags.host,
        signal: controller.signal,
        onListen() {},
      }, flags.quiet ? app.fetch : withAccessLog(app.fetch));
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        throw new UsageError(
          `Port ${flags.port} on ${flags.host} is in use: choose another --port, or 0 for any free one`,
        );
      }
      throw error;
    }
    const host = flags.host === "0.0.0.0"
      ? "127.0.0.1"
      : flags.host.includes(":")
      ? `[${flags.host}]`
      : flags.host;
    const url = `http://${host}:${server.addr.port}/`;
    if (flags.json) {
      console.log(JSON.stringify({
        url,
        secret: wiring.secret ?? null,
        sandbox: flags.sandbox,
        asUrl: wiring.sourceUrl,
        store: store.location,
      }));
    } else {
      console.log(`Report server listening on ${url}${flags.sandbox ? " (SANDBOX DATA)" : ""}`);
      console.log(`Account Server: ${wiring.sourceUrl}; report store: ${store.location}`);
      if (wiring.secret) {
        console.log(
          `Access secret (any username, this as password; or "Authorization: Bearer ..."): ${wiring.secret}`,
        );
      }
      console.log("Press Ctrl-C to stop.");
    }
    const stop = () => controller.abort();
    Deno.addSignalListener("SIGINT", stop);
    Deno.addSignalListener("SIGTERM", stop);
    await server.finished;
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
    return 0;
  } finally {
    store?.close();
    await wiring.close();
  }
}

if (import.meta.main) {
  await runCli(main, {
    name: "serve",
    secrets: parseAuthTokens(Deno.env.get("REPORTS_AUTH_TOKENS")),
  });
}
