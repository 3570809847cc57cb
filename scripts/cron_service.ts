/**
 * The long-running mode of the scheduled job, which is what Deno Deploy runs (entry point
 * `scripts/deploy.ts`; locally `deno task cron` without `--once`): the `Deno.cron` export job
 * and an HTTP server over one report store.
 *
 * - Nothing is awaited, opened or read before the caller registers the cron: the store and
 *   the server's wiring are prepared in the background, and the cron's runs wait for them.
 * - Each run is gated ({@link cronRunGate}: production timeline only, unless
 *   `CRON_ENABLED`), refused loudly when the store is not durable ({@link verifyDurableStore}),
 *   and tracked, so that SIGINT/SIGTERM lets it finish the report it is on (or abandon it
 *   cleanly) before the store is closed ({@link createShutdown}).
 * - There is always an HTTP server: the report server when it can be wired, otherwise a
 *   stand-in that serves `/healthz` and a 503 page saying what to configure.
 *
 * @module
 */

import { processEnv } from "../client/env.ts";
import { ConfigError } from "../client/errors.ts";
import { redact } from "../client/redact.ts";
import { createShutdown, cronRunGate, type Shutdown } from "../reports/schedule/guard.ts";
import {
  createScheduledRun,
  CRON_BACKOFF_SCHEDULE,
  CRON_JOB_NAME,
  type CronConfig,
  cronConfigFromEnv,
} from "../reports/schedule/job.ts";
import { createReportServer } from "../reports/server/app.ts";
import { ratesFromEnv } from "../reports/pricing/env.ts";
import { verifyDurableStore } from "../reports/store/durable.ts";
import type { KvReportStore } from "../reports/store/kv.ts";
import { type OpenReportStore, openReportStore } from "../reports/store/open.ts";
import { reportError } from "./cli.ts";
import { connect } from "./connect.ts";
import { createFallbackApp } from "./cron_fallback.ts";
import { envWiring, sandboxWiring, type Wiring } from "./serve_wiring.ts";

/** What the service mode needs from the command line. */
export interface ServiceFlags {
  /** Report store spec; the configuration's when absent. */
  store?: string;
  /** Use the built-in sandbox for the job and the server. */
  sandbox: boolean;
  /** Port of the HTTP server (ignored on Deno Deploy, which chooses it). */
  port: number;
  /** Secrets to scrub from the job's lines. */
  secrets: readonly (string | undefined)[];
}

/** The service, ready to be registered with `Deno.cron` and served. */
export interface CronService {
  /** The validated schedule to register (normalised, as `Deno.cron` accepts it). */
  schedule: string;
  /** The `Deno.cron` handler: one gated, tracked export cycle for the run's scheduled time. */
  handler: () => Promise<void>;
  /** The `Deno.cron` options: the retry schedule and the shutdown signal. */
  cronOptions: { backoffSchedule: number[]; signal: AbortSignal };
  /**
   * Serves HTTP until SIGINT/SIGTERM, then lets a running export finish or abandon its
   * report (a few seconds at most) and closes the store; resolves after that clean stop.
   */
  serve(): Promise<void>;
}

/** True on Deno Deploy, which sets `DENO_DEPLOY` in every context. */
function onDeploy(): boolean {
  return Boolean(Deno.env.get("DENO_DEPLOY") || Deno.env.get("DENO_DEPLOYMENT_ID"));
}

function hasMarker(store: OpenReportStore): store is KvReportStore {
  return typeof (store as Partial<KvReportStore>).claimMarker === "function";
}

/**
 * Prepares the service without awaiting or opening anything, so that the caller registers
 * the cron at the top level of its module first.
 *
 * @throws {ConfigError} when `Deno.cron` is unavailable or `CRON_ENABLED` is invalid.
 */
export function createService(flags: ServiceFlags, config: CronConfig): CronService {
  if (typeof Deno.cron !== "function") {
    throw new ConfigError(
      `Deno.cron is unavailable: keep "unstable": ["cron", "kv"] in deno.json or run with --unstable-cron`,
    );
  }
  const env = processEnv();
  cronRunGate(env); // a bad CRON_ENABLED is a start-up error
  const spec = flags.store ?? config.store;
  const instance = crypto.randomUUID();
  const shutdown = createShutdown();
  const log = (line: string) => console.error(redact(line, flags.secrets));
  // In the background (a microtask later): nothing happens before the cron is registered.
  const store = Promise.resolve().then(() => openReportStore(spec));
  store.then(async (s) => {
    // Every instance leaves its mark; a run in another instance then verifies the database.
    if (onDeploy() && hasMarker(s)) await s.claimMarker(instance);
  }).catch((error) => log(`cron: Report store ${spec} not ready: ${messageOf(error)}`));
  const wiring: Promise<Wiring | undefined> = Promise.resolve().then(() =>
    flags.sandbox ? sandboxWiring() : envWiring()
  ).catch((error) => {
    // The job runs without the report server: its credentials are a separate concern.
    if (!(error instanceof ConfigError)) throw error;
    log(`cron: Report server not started: ${error.message}`);
    return undefined;
  });
  // REPORTS_RATES: the job's reports and the server's downloads are priced alike; a bad
  // rates file fails every run and the server (named in their messages).
  const pricing = Promise.resolve().then(() => ratesFromEnv(env));
  pricing.catch((error) => log(`cron: ${messageOf(error)}`));
  const run = Promise.all([store, wiring, pricing]).then(([s, w, p]) =>
    createScheduledRun({
      config,
      pricing: p,
      store: s,
      secrets: flags.secrets,
      connect: async () =>
        flags.sandbox && w
          ? { api: w.api, tokens: w.tokens, sourceUrl: w.sourceUrl, sandbox: true }
          : { ...(await connect({ sandbox: false })), sandbox: false },
      verifyStore: () => verifyDurableStore(s, { spec, onDeploy: onDeploy(), instance }),
      stopSignal: shutdown.stopSignal,
      signal: shutdown.signal,
    })
  );
  run.catch(() => {}); // reported by serve() and by each run
  return {
    schedule: config.schedule.text,
    handler: async () => {
      const gate = cronRunGate(env);
      if (!gate.run) {
        log(`cron: ${CRON_JOB_NAME} fired but does nothing here: ${gate.reason}`);
        return;
      }
      await shutdown.track(async () => {
        await (await run)();
      });
    },
    cronOptions: { backoffSchedule: [...CRON_BACKOFF_SCHEDULE], signal: shutdown.stopSignal },
    serve: () =>
      serve(flags, {
        store,
        wiring: Promise.all([wiring, pricing]).then(([w, p]) => w && { ...w, ...p }),
        shutdown,
        log,
      }),
  };
}

/**
 * The Deno Deploy flavour of {@link createService}: configuration from the environment
 * (`REPORTS_STORE` defaults to `kv`), no sandbox; a bad setting (e.g. `CRON_SCHEDULE`) is
 * printed as one line naming the variable and the process exits 2 before anything starts.
 */
export function createDeployService(): CronService {
  const secrets = [
    Deno.env.get("SQUONK2_KEYCLOAK_USER_PASSWORD"),
    Deno.env.get("SQUONK2_KEYCLOAK_AS_CLIENT_SECRET"),
    Deno.env.get("SQUONK2_ASAPI_TOKEN"),
    ...(Deno.env.get("REPORTS_AUTH_TOKENS") ?? "").split(","),
  ];
  try {
    const config = cronConfigFromEnv((n) => Deno.env.get(n), { defaultStore: "kv" });
    const port = Number(Deno.env.get("PORT") ?? "8000");
    return createService(
      { sandbox: false, port: Number.isInteger(port) ? port : 8000, secrets },
      config,
    );
  } catch (error) {
    Deno.exit(reportError(error, { name: "cron", secrets, debug: false }));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function serve(
  flags: ServiceFlags,
  parts: {
    store: Promise<OpenReportStore>;
    wiring: Promise<Wiring | undefined>;
    shutdown: Shutdown;
    log: (line: string) => void;
  },
): Promise<void> {
  const { shutdown, log } = parts;
  const [storeResult, wiringResult] = await Promise.allSettled([parts.store, parts.wiring]);
  const store = storeResult.status === "fulfilled" ? storeResult.value : undefined;
  const wiring = wiringResult.status === "fulfilled" ? wiringResult.value : undefined;
  const reasons: string[] = [];
  if (!store) {
    reasons.push(
      `The report store could not be opened: ${
        messageOf(storeResult.status === "rejected" ? storeResult.reason : "")
      }`,
    );
  }
  if (wiringResult.status === "rejected") {
    reasons.push(`The report server failed: ${messageOf(wiringResult.reason)}`);
  } else if (!wiring) {
    reasons.push(
      "Set REPORTS_AUTH_TOKENS (comma-separated secrets) or REPORTS_OIDC_ISSUER (+ REPORTS_OIDC_ROLE), and SQUONK2_ASAPI_URL with its SQUONK2_KEYCLOAK_* service account.",
    );
  }
  const serverStop = new AbortController();
  const stop = () => serverStop.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    log(`cron: ${CRON_JOB_NAME} scheduled; report store ${store?.location ?? "(not open)"}`);
    const app = store && wiring
      ? createReportServer({ ...wiring, sandbox: flags.sandbox, store })
      : createFallbackApp(reasons);
    // On Deno Deploy the platform chooses the address; locally --port / $PORT.
    const server = onDeploy() ? Deno.serve({ signal: serverStop.signal }, app.fetch) : Deno.serve({
      port: flags.port,
      hostname: "127.0.0.1",
      signal: serverStop.signal,
      onListen: ({ port }) =>
        log(
          `cron: ${
            wiring && store ? "report server" : "HTTP server (report server not configured)"
          } on http://127.0.0.1:${port}/${flags.sandbox ? " (SANDBOX DATA)" : ""}`,
        ),
    }, app.fetch);
    if (wiring?.secret) console.error(`cron: report server access secret: ${wiring.secret}`);
    await server.finished;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
    // The run in progress finishes its report (or abandons it cleanly) before KV closes.
    if (!(await shutdown.stop())) log("cron: a run did not stop in time; closing the store anyway");
    store?.close();
    await wiring?.close();
  }
}
