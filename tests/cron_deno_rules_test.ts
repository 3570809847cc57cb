/**
 * `CRON_SCHEDULE` is read with the rules `Deno.cron` itself applies: over a table of
 * schedules, the real `Deno.cron` (Deno 2.x, run in a subprocess with `--unstable-cron`)
 * and `parseCronSchedule` agree on what is accepted, except the few forms `Deno.cron`
 * takes whose due times this project does not compute (`L`, `W`, `#`, ranges that wrap
 * around), which `parseCronSchedule` refuses on purpose. So a schedule the job accepts never
 * makes the top-level `Deno.cron` call throw. Day-of-week numbering (1 = Sunday, 7 = Saturday)
 * was checked by letting `Deno.cron` fire; it is asserted in tests/cron_schedule_test.ts.
 */

import assert from "node:assert/strict";
import { parseCronSchedule } from "../reports/schedule/cron.ts";
import { cleanEnv } from "./fixtures/script_run.ts";

const PROBE = new URL("./fixtures/deno_cron_probe.ts", import.meta.url).pathname;

const TABLE = [
  // Accepted by both.
  "15 2 * * *",
  "0 0 * * 1",
  "0 0 * * 7",
  "0 0 * * 1-5",
  "0 0 * * 1-7",
  "0 0 * * 2,4,6",
  "*/15 * * * *",
  "0 */3 * * *",
  "0 0 1-31/2 * *",
  "0 0 * * 1/2",
  "0 0 * * */2",
  "0 0 * 1-12/3 *",
  "1,2,3 * * * *",
  "00 02 * * *",
  "0 0 31 2 *",
  "0 0 1 * 1",
  "7-7 * * * *",
  "0 0 * * MON",
  "0 0 * * mon",
  "0 0 * * MON-FRI",
  "0 0 * JAN *",
  "0 0 * jan-mar *",
  "59 23 31 12 7",
  // Refused by both.
  "0 0 * * 0",
  "0 0 * * 0-6",
  "0 0 * * 0,7",
  "0 0 * * 8",
  "60 0 * * *",
  "0 24 * * *",
  "0 0 0 * *",
  "0 0 32 * *",
  "0 0 * 0 *",
  "0 0 * 13 *",
  "*/0 * * * *",
  "0 */0 * * *",
  "1-59/60 * * * *",
  "0 0 ? * *",
  "@daily",
  "0 0 * * * *",
  "0 0 * *",
  "",
];

/** Accepted by Deno.cron, refused by parseCronSchedule on purpose (see the module doc). */
const REFUSED_ON_PURPOSE = ["0 0 L * *", "0 0 15W * *", "0 0 * * 1#2", "0 0 * * 5L", "5-3 * * * *"];

async function denoAccepts(schedules: string[]): Promise<Record<string, boolean>> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-cron", "--no-config", PROBE],
    env: cleanEnv(),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(schedules)));
  await writer.close();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function weAccept(schedule: string): boolean {
  try {
    parseCronSchedule(schedule);
    return true;
  } catch {
    return false;
  }
}

Deno.test("parseCronSchedule accepts exactly what Deno.cron accepts (bar L, W, # and wrapping ranges)", async () => {
  const deno = await denoAccepts([...TABLE, ...REFUSED_ON_PURPOSE]);
  const disagree = TABLE.filter((s) => deno[s] !== weAccept(s))
    .map((s) => `"${s}": Deno.cron ${deno[s] ? "accepts" : "refuses"}, parseCronSchedule does not`);
  assert.deepEqual(disagree, []);
  for (const s of REFUSED_ON_PURPOSE) {
    assert.equal(deno[s], true, `Deno.cron accepts "${s}"`);
    assert.equal(weAccept(s), false, `parseCronSchedule refuses "${s}"`);
  }
  // Both sides saw cases of each kind: the table means something.
  assert.ok(TABLE.some((s) => deno[s]) && TABLE.some((s) => !deno[s]));
});

Deno.test("a schedule the job accepts is registered as written, normalised (Deno.cron refuses stray spaces)", async () => {
  const text = parseCronSchedule("  15   2 * *  1 ").text;
  assert.equal(text, "15 2 * * 1");
  assert.deepEqual(await denoAccepts([text]), { [text]: true });
});
