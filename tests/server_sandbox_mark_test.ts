// A report server pointed at a standalone sandbox through its settings (not started with
// --sandbox) still says SANDBOX DATA on its pages, over real HTTP: the sandbox marks its
// answers (X-Squonk2-Sandbox) and the client remembers it (issue 14, item 6).
import assert from "node:assert/strict";
import { AsApi } from "../client/as/mod.ts";
import { KeycloakTokenSource } from "../client/keycloak/keycloak_source.ts";
import { createReportServer } from "../reports/server/app.ts";
import { startSandbox } from "../sandbox/mod.ts";
import { basic, NOW, SECRET } from "./server_fixture_test.ts";

Deno.test("pages from a sandbox reached through settings say SANDBOX DATA, like its downloads", async () => {
  const sandbox = await startSandbox({ seed: 7, now: NOW, quiet: true });
  const app = createReportServer({
    api: new AsApi({ url: sandbox.asUrl, warn: () => {} }),
    tokens: new KeycloakTokenSource({
      keycloakUrl: sandbox.keycloakUrl,
      realm: sandbox.realm,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    }),
    sourceUrl: sandbox.asUrl,
    // No `sandbox: true`: the server does not know where its settings point.
    now: () => new Date(NOW),
    auth: { tokens: [SECRET] },
    log: () => {},
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const headers = { authorization: basic("finance", SECRET) };
    const index = await fetch(`${base}/`, { headers });
    assert.equal(index.status, 200);
    const page = await index.text();
    assert.match(page, /SANDBOX DATA/, "the index page says so");
    const orgId = /href="\/organisations\/(org-[0-9a-f-]+)/.exec(page)?.[1];
    assert.ok(orgId, "an organisation is listed");
    const org = await fetch(`${base}/organisations/${orgId}`, { headers });
    assert.match(await org.text(), /SANDBOX DATA/, "the organisation page says so");
    const archive = await fetch(`${base}/archive`, { headers });
    assert.match(await archive.text(), /SANDBOX DATA/, "the archive says so");
    const csv = await fetch(`${base}/reports/charges/organisation/${orgId}.csv?pbp=-1`, {
      headers,
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-disposition") ?? "", /_sandbox\.csv/);
    assert.match(await csv.text(), /,SANDBOX/);
  } finally {
    await server.shutdown();
    await sandbox.close();
  }
});
