import assert from "node:assert/strict";
import { redact, redactUrl } from "../client/redact.ts";
import { XqApi } from "../client/xq/api.ts";
import { serveXqSandbox } from "../sandbox/xq/serve.ts";

Deno.test("redact: XQ locator tokens in key URLs are hidden, the rest of the text kept", () => {
  const locator = "Zm9vYmFyLWxvY2F0b3ItdG9rZW4rLz0";
  assert.equal(
    redact(
      `Packet retrieval failed (HTTP 403, GET https://validation.xqmsg.net/v2/key/${locator})`,
    ),
    "Packet retrieval failed (HTTP 403, GET https://validation.xqmsg.net/v2/key/[REDACTED])",
  );
  assert.equal(
    redactUrl(`http://127.0.0.1:1/xq/validation/v2/key/${encodeURIComponent(locator)}?x=1`),
    "http://127.0.0.1:1/xq/validation/v2/key/[REDACTED]?x=1",
  );
});

Deno.test("XQ key calls: a refused or unknown locator token is in no message or log line", async () => {
  const xq = serveXqSandbox({ seed: 5 });
  try {
    const lines: string[] = [];
    const client = new XqApi({
      apiKey: xq.apiKey,
      subscriptionUrl: xq.subscriptionUrl,
      validationUrl: xq.validationUrl,
      log: (line) => lines.push(line),
    });
    await client.authorizeAlias("redaction-test");
    const locator = "unknown-locator-token-0123456789abcdef";
    for (const call of [() => client.fetchKey(locator), () => client.revokeKey(locator)]) {
      const error = await call().then(() => null, (e: Error) => e);
      assert.ok(error, "the call fails");
      const text = `${error.message} ${JSON.stringify(error)}`;
      assert.ok(!text.includes(locator), text);
      assert.ok(!text.includes(xq.apiKey), text);
    }
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes(locator), line);
  } finally {
    await xq.close();
  }
});
