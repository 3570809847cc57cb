// A JavaScript Date passed to a charges method means the calendar day the caller meant, in
// any time zone: local midnight -> its local day, UTC midnight -> its UTC day, any other time
// -> a UsageError asking for YYYY-MM-DD (client/as/periods.ts, PeriodOptions). Each zone runs in
// its own subprocess (Deno reads TZ at start), calling AsApi.getProductCharges with an
// injected fetch and printing the query it sent.
import assert from "node:assert/strict";
import { cleanEnv } from "./fixtures/script_run.ts";

const ROOT = new URL("../", import.meta.url);
const AS_API = new URL("client/as/mod.ts", ROOT).href;

/** The probe: one line of JSON per case, `{ name, from, until }` or `{ name, error }`. */
const PROBE = `
import { AsApi } from ${JSON.stringify(AS_API)};
const sent = [];
const api = new AsApi({
  url: "http://as.test/account-server-api",
  env: () => undefined,
  fetch: (input, init) => {
    sent.push(new Request(input, init).url);
    return Promise.resolve(Response.json({}));
  },
  sleep: () => Promise.resolve(),
});
const cases = {
  "local midnight 2026-01-01 .. 2026-02-01": [new Date(2026, 0, 1), new Date(2026, 1, 1)],
  "UTC midnight 2026-01-01 .. 2026-01-31": [new Date("2026-01-01"), new Date(Date.UTC(2026, 0, 31))],
  "local midnight on DST days": [new Date(2026, 2, 29), new Date(2026, 10, 1)],
  "local midnight in summer": [new Date(2026, 6, 1), new Date(2026, 7, 1)],
  "noon local": [new Date(2026, 0, 1, 12), "2026-02-01"],
  "one second before UTC midnight": [new Date("2026-11-30T23:59:59Z"), "2026-12-31"],
  "one millisecond after local midnight": [new Date(2026, 0, 1, 0, 0, 0, 1), "2026-02-01"],
};
console.log(JSON.stringify({ name: "offset", iso: new Date(2026, 0, 1).toISOString() }));
for (const [name, [from, until]] of Object.entries(cases)) {
  sent.length = 0;
  try {
    await api.getProductCharges("token-0123456789", { productId: "product-1", from, until });
    if (sent.length !== 1) throw new Error(sent.length + " requests");
    const q = new URL(sent[0]).searchParams;
    console.log(JSON.stringify({ name, from: q.get("from"), until: q.get("until") }));
  } catch (error) {
    console.log(JSON.stringify({ name, error: error.name, message: error.message, sent: sent.length }));
  }
}
`;

interface ProbeLine {
  name: string;
  iso?: string;
  from?: string;
  until?: string;
  error?: string;
  message?: string;
  sent?: number;
}

async function probe(tz: string): Promise<Map<string, ProbeLine>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", PROBE],
    cwd: ROOT.pathname,
    env: cleanEnv({ TZ: tz }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n").map((l) =>
    JSON.parse(l) as ProbeLine
  );
  return new Map(lines.map((l) => [l.name, l]));
}

function sent(line: ProbeLine | undefined): { from?: string; until?: string } {
  assert.ok(line, "probe line");
  assert.equal(line.error, undefined, line.message);
  return { from: line.from, until: line.until };
}

function refused(line: ProbeLine | undefined): void {
  assert.ok(line, "probe line");
  assert.equal(line.error, "UsageError", JSON.stringify(line));
  assert.match(line.message!, /neither local nor UTC midnight; pass the day as a "YYYY-MM-DD"/);
  assert.equal(line.sent, 0, "nothing is sent for a refused date");
}

for (
  const [tz, offset] of [
    // What new Date(2026, 0, 1) is in UTC there: proves the subprocess ran in that zone.
    ["Europe/Berlin", "2025-12-31T23:00:00.000Z"],
    ["America/Los_Angeles", "2026-01-01T08:00:00.000Z"],
    ["UTC", "2026-01-01T00:00:00.000Z"],
  ] as const
) {
  Deno.test(`Dates in ${tz}: midnight Dates select the day meant, others are refused`, async () => {
    const lines = await probe(tz);
    assert.equal(lines.get("offset")?.iso, offset);
    assert.deepEqual(sent(lines.get("local midnight 2026-01-01 .. 2026-02-01")), {
      from: "2026-01-01",
      until: "2026-02-01",
    });
    assert.deepEqual(sent(lines.get("UTC midnight 2026-01-01 .. 2026-01-31")), {
      from: "2026-01-01",
      until: "2026-01-31",
    });
    // Europe/Berlin changes to summer time on 2026-03-29 and back on 2026-10-25; Los Angeles
    // on 2026-03-08 and 2026-11-01: their local midnights exist.
    assert.deepEqual(sent(lines.get("local midnight on DST days")), {
      from: "2026-03-29",
      until: "2026-11-01",
    });
    assert.deepEqual(sent(lines.get("local midnight in summer")), {
      from: "2026-07-01",
      until: "2026-08-01",
    });
    refused(lines.get("noon local"));
    refused(lines.get("one second before UTC midnight"));
    refused(lines.get("one millisecond after local midnight"));
  });
}
