// End to end over real HTTP: `deno run -A scripts/serve.ts --sandbox --port 0 --json` as a
// subprocess; its first stdout line is JSON with the URL and the generated secret.
import assert from "node:assert/strict";
import { oracleSum } from "./fixtures/coin_oracle.ts";
import { parseCsvDownload } from "./server_fixture_test.ts";
import { readUntil, scriptCommand, stopChild } from "./fixtures/script_run.ts";
import { readChangeSheet } from "./fixtures/change_sheet.ts";

const SERVE = new URL("../scripts/serve.ts", import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}) {
  return scriptCommand(SERVE, args, env);
}

Deno.test("serve --sandbox over real HTTP: secret printed as JSON, auth, pages, downloads, clean stop", async () => {
  const store = await Deno.makeTempDir();
  // A plain export, as `deno task demo` and `deno task charges` write into ./reports-out
  // (the server's default store): the archive lists it too.
  const plain = "charges_organisation_acme-chemistry-ltd_2026-10-15_2026-12-01_sandbox.csv";
  await Deno.writeTextFile(
    `${store}/${plain}`,
    'organisation_id,organisation_name,coins\r\norg-1,"Acme Chemistry, Ltd.",2.5\r\n',
  );
  // REPORTS_FLAG_CHANGE reaches the XLSX Change sheet and the organisation page.
  const child = run(["--sandbox", "--port", "0", "--json", "--store", store], {
    REPORTS_FLAG_CHANGE: "5",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  try {
    const first = await readUntil(child.stdout, (text) => text.includes("\n"));
    const [line] = first.text.split("\n");
    const info = JSON.parse(line);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(typeof info.secret, "string");
    assert.ok(info.secret.length >= 24);
    assert.equal(info.sandbox, true);
    assert.equal(info.store, store);
    const auth = { authorization: `Bearer ${info.secret}` };

    const health = await fetch(new URL("healthz", info.url));
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "ok");

    const denied = await fetch(info.url);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get("www-authenticate"), 'Basic realm="squonk2 reports"');
    await denied.body?.cancel();

    const index = await fetch(info.url, {
      headers: { authorization: "Basic " + btoa(`me:${info.secret}`) },
    });
    assert.equal(index.status, 200);
    const html = await index.text();
    const link = /href="(\/reports\/charges\/organisation\/org-[^"]+\.csv\?pbp=-1)"/.exec(html);
    assert.ok(link, "the index links an organisation CSV");

    const csv = await fetch(new URL(link[1], info.url), { headers: auth });
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get("transfer-encoding"), "chunked", "streamed, not buffered");
    const total = csv.headers.get("x-report-total-coins")!;
    const rows = await parseCsvDownload(csv);
    assert.ok(oracleSum(rows.map((r) => r.coins)).eq(total));

    const xlsx = await fetch(new URL(link[1].replace(".csv?", ".xlsx?"), info.url), {
      headers: auth,
    });
    assert.equal(xlsx.status, 200);
    const change = await readChangeSheet(new Uint8Array(await xlsx.arrayBuffer()));
    assert.match(change.status, /^Compared: /);
    assert.match(change.previousPeriod, /prior billing period -2/);
    const org = /href="(\/organisations\/org-[^"?]+)/.exec(html);
    assert.ok(org, "the index links an organisation page");
    const page = await (await fetch(new URL(`${org[1]}?pbp=-1`, info.url), { headers: auth }))
      .text();
    assert.match(page, /a change above 5 % either way/);

    const archive = await fetch(new URL("archive", info.url), { headers: auth });
    const listed = (await archive.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    assert.match(
      listed,
      /Acme Chemistry, Ltd\. 2026-10-15 to 2026-12-01 excl\. Report Coins Rows Files Made Whole organisation sandbox 2\.5 1 CSV/,
    );
    const file = await fetch(new URL(`archive/${plain}`, info.url), { headers: auth });
    assert.equal(file.status, 200);
    assert.match(await file.text(), /Acme Chemistry, Ltd\.",2\.5/);

    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0);
    const out = first.text.slice(line.length + 1) + await first.rest;
    const err = await stderr;
    assert.ok(
      !out.includes(info.secret) && !err.includes(info.secret),
      "the secret is printed once only",
    );
  } finally {
    await stopChild(child, stderr);
    await Deno.remove(store, { recursive: true });
  }
});

Deno.test("serve refuses to start without credentials, and explains its flags", async () => {
  const refused = await run([], { SQUONK2_ASAPI_URL: "http://127.0.0.1:9/account-server-api" })
    .output();
  assert.equal(refused.code, 2);
  assert.match(new TextDecoder().decode(refused.stderr), /REPORTS_AUTH_TOKENS/);
  assert.equal(refused.stdout.length, 0);

  const badFlag = await run([], {
    SQUONK2_ASAPI_URL: "http://127.0.0.1:9/account-server-api",
    REPORTS_AUTH_TOKENS: "a-long-enough-secret",
    REPORTS_FLAG_CHANGE: "lots",
  }).output();
  assert.equal(badFlag.code, 2);
  assert.match(
    new TextDecoder().decode(badFlag.stderr),
    /REPORTS_FLAG_CHANGE "lots" is not a percentage/,
  );

  const badPort = await run(["--port", "http"]).output();
  assert.equal(badPort.code, 2);
  assert.match(new TextDecoder().decode(badPort.stderr), /Invalid --port "http"/);

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const busy = await run(["--port", String(listener.addr.port)], {
      SQUONK2_ASAPI_URL: "http://127.0.0.1:9/account-server-api",
      SQUONK2_ASAPI_TOKEN: "not-a-real-token",
      REPORTS_AUTH_TOKENS: "a-long-enough-secret",
    }).output();
    assert.equal(busy.code, 2);
    assert.match(new TextDecoder().decode(busy.stderr), /is in use: choose another --port/);
  } finally {
    listener.close();
  }

  const help = await run(["--help"]).output();
  assert.equal(help.code, 0);
  assert.match(new TextDecoder().decode(help.stdout), /Usage: deno task serve/);
});
