/**
 * The long-running mode of `deno task cron`, which is what Deno Deploy runs: the daily
 * `Deno.cron` export job and the report server over one report store.
 *
 * @module
 */

import { ConfigError } from "../client/errors.ts";
import {
  createScheduledRun,
  CRON_BACKOFF_SCHEDULE,
  CRON_JOB_NAME,
  type CronConfig,
} from "../reports/schedule/job.ts";
import { createReportServer } from "../reports/server/app.ts";
import { type OpenReportStore, openReportStore } from "../reports/store/open.ts";
import { connect } from "./connect.ts";
import { envWiring, sandboxWiring, type Wiring } from "./serve_wiring.ts";

/** What the service mode needs from the command line. */
export interface ServiceFlags {
  /** Report store spec; the configuration's when absent. */
  store?: string;
  /** Use the built-in sandbox for the job and the server. */
  sandbox: boolean;
  /** Port of the report server (ignored on Deno Deploy). */
  port: number;
  /** Secrets to scrub from the job's lines. */
  secrets: readonly (string | undefined)[];
}

/** The service, ready to be registered with `Deno.cron` and served. */
export interface CronService {
  /** The `Deno.cron` handler: one export cycle for the run's scheduled time. */
  handler: () => Promise<void>;
  /** The `Deno.cron` options: the retry schedule and the shutdown signal. */
  cronOptions: { backoffSchedule: number[]; signal: AbortSignal };
  /** Serves the report server until SIGINT/SIGTERM; resolves after a clean stop. */
  serve(): Promise<void>;
}

/**
 * Prepares the service without awaiting anything, so that the caller can register the cron
 * at the top level of its module: the store opens and the server is wired in the
 * background, and the cron's runs wait for them.
 *
 * @throws {ConfigError} when `Deno.cron` is unavailable.
 */
export function createService(flags: ServiceFlags, config: CronConfig): CronService {
  if (typeof Deno.cron !== "function") {
    throw new ConfigError(
      `Deno.cron is unavailable: keep "unstable": ["cron", "kv"] in deno.json or run with --unstable-cron`,
    );
  }
  const shutdown = new AbortController();
  const store = openReportStore(flags.store ?? config.store);
  const wiring: Promise<Wiring | undefined> = flags.sandbox
    ? sandboxWiring()
    : Promise.resolve().then(envWiring).catch((error) => {
      // The job runs without the server: its credentials are a separate concern.
      if (!(error instanceof ConfigError)) throw error;
      console.error(`cron: Report server not started: ${error.message}`);
      return undefined;
    });
  const run = Promise.all([store, wiring]).then(([s, w]) =>
    createScheduledRun({
      config,
      store: s,
      secrets: flags.secrets,
      connect: async () =>
        flags.sandbox && w
          ? { api: w.api, tokens: w.tokens, sourceUrl: w.sourceUrl, sandbox: true }
          : { ...(await connect({ sandbox: false })), sandbox: false },
    })
  );
  run.catch(() => {}); // reported by serve()
  return {
    handler: async () => {
      await (await run)();
    },
    cronOptions: { backoffSchedule: [...CRON_BACKOFF_SCHEDULE], signal: shutdown.signal },
    serve: () => serve(flags, { store, wiring, run, shutdown }),
  };
}

async function serve(
  flags: ServiceFlags,
  parts: {
    store: Promise<OpenReportStore>;
    wiring: Promise<Wiring | undefined>;
    run: Promise<unknown>;
    shutdown: AbortController;
  },
): Promise<void> {
  const [store, wiring] = await Promise.all([parts.store, parts.wiring, parts.run]);
  const stop = () => parts.shutdown.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    console.error(`cron: ${CRON_JOB_NAME} scheduled; report store ${store.location}`);
    if (!wiring) {
      await new Promise((resolve) => parts.shutdown.signal.addEventListener("abort", resolve));
      return;
    }
    const app = createReportServer({ ...wiring, sandbox: flags.sandbox, store });
    // On Deno Deploy the platform chooses the address; locally --port / $PORT.
    const server = Deno.env.get("DENO_DEPLOYMENT_ID")
      ? Deno.serve({ signal: parts.shutdown.signal }, app.fetch)
      : Deno.serve({
        port: flags.port,
        hostname: "127.0.0.1",
        signal: parts.shutdown.signal,
        onListen: ({ port }) =>
          console.error(
            `cron: report server on http://127.0.0.1:${port}/${
              flags.sandbox ? " (SANDBOX DATA)" : ""
            }`,
          ),
      }, app.fetch);
    if (wiring.secret) console.error(`cron: report server access secret: ${wiring.secret}`);
    await server.finished;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
    store.close();
    await wiring?.close();
  }
}
