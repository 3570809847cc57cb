/**
 * The Deno Deploy entry point of the scheduled export job (`deno deploy create ...
 * --entrypoint scripts/deploy.ts`; see docs/scheduled-job.md). Deploy passes no flags: the
 * configuration comes from the environment of the timeline's context.
 *
 * `Deno.cron` is registered here, unconditionally and at the top level, before anything is
 * awaited, opened or served: Deploy discovers crons by evaluating the entry module's top-level
 * code and ignores registrations inside conditionals or after the server starts. A bad
 * `CRON_SCHEDULE` (or other setting) stops the process before it, with one line naming the
 * variable. Then the HTTP server starts: the report server, or a stand-in serving `/healthz`
 * and a 503 page that says what to configure.
 *
 * @module
 */

import { CRON_JOB_NAME } from "../reports/schedule/job.ts";
import { createDeployService } from "./cron_service.ts";

const service = createDeployService();

Deno.cron(CRON_JOB_NAME, service.schedule, service.cronOptions, service.handler);

await service.serve();
