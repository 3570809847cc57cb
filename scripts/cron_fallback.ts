/**
 * The HTTP server the scheduled job's process serves when the report server cannot be
 * wired (no `REPORTS_AUTH_TOKENS` / `REPORTS_OIDC_ISSUER`, no `SQUONK2_ASAPI_URL`, or a
 * report store that did not open): `GET /healthz` answers 200 with what is missing, and
 * every other path a 503 page that says what to configure. So the process always has an
 * HTTP server, as Deno Deploy's start-up and warm-up wait for one, even in a context whose
 * secrets are set for Production only.
 *
 * @module
 */

import { Hono } from "hono";
import { escapeHtml } from "../reports/server/html.ts";

/** Builds the stand-in server; `reasons` are already free of secrets. */
export function createFallbackApp(reasons: readonly string[]): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok", job: "scheduled", reportServer: { configured: false, reasons } });
  });
  app.all("*", (c) => {
    c.header("Cache-Control", "no-store");
    const items = reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join("");
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Report server not configured</title></head><body><h1>Report server not configured</h1><p>The scheduled export job runs, but the report server is not started:</p><ul>${items}</ul><p>Set the missing variables for this context (see docs/scheduled-job.md) and deploy again.</p></body></html>`,
      503,
    );
  });
  return app;
}
