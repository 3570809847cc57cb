/**
 * XQ token replies in each form the SDKs meet: plain text (XQ's own), a JSON string, and a
 * bare token labelled `application/json`. The XQ sandbox answers each way on request, and
 * every call that reads a token (authorizeUser, exchangeKey, authorizeAlias, createPacket,
 * storePacket, createAndStorePacket, fetchKey) must give the same, unquoted token.
 */

import assert from "node:assert/strict";
import { serveXqSandbox, type TokenReplyForm } from "../sandbox/xq/serve.ts";
import { xqClient } from "./fixtures/xq_helpers.ts";

const FORMS: readonly TokenReplyForm[] = ["text", "json-string", "json-labelled"];

for (const form of FORMS) {
  Deno.test(`XQ token replies as ${form}: every token-reading call gets the bare token`, async () => {
    const xq = serveXqSandbox({ seed: 11, tokenReplies: form });
    try {
      // The sandbox really answers in this form.
      const raw = await fetch(`${xq.subscriptionUrl}/authorizealias`, {
        method: "POST",
        headers: { "api-key": xq.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ user: "probe@alias.local" }),
      });
      const rawText = await raw.text();
      assert.equal(raw.status, 200);
      assert.match(
        raw.headers.get("content-type") ?? "",
        form === "text" ? /^text\/plain/ : /^application\/json/,
      );
      assert.equal(rawText.startsWith('"'), form === "json-string", rawText);

      const sender = xqClient(xq, { attempts: 1 });
      const alias = await sender.authorizeAlias("sender");
      assertBare(alias);
      const reader = xqClient(xq, { attempts: 1 });
      const preAuth = await reader.authorizeUser("reader@example.com");
      assertBare(preAuth);
      const [message] = (await xq.outbox("reader@example.com")).slice(-1);
      assert.equal(await reader.codeValidate(message.pin), true);
      assertBare(await reader.exchangeKey());

      const packet = await sender.createPacket(["reader@example.com"], ".1first-key");
      assertBare(packet);
      const stored = await sender.storePacket(packet);
      assertBare(stored);
      const direct = await sender.createAndStorePacket(["reader@example.com"], ".1second-key");
      assertBare(direct);
      assert.equal(await reader.fetchKey(stored), ".1first-key");
      assert.equal(await reader.fetchKey(direct), ".1second-key");
    } finally {
      await xq.close();
    }
  });
}

Deno.test("the XQ sandbox switches its token replies at run time", async () => {
  const xq = serveXqSandbox({ seed: 12 });
  try {
    const ask = async () => {
      const res = await fetch(`${xq.subscriptionUrl}/authorizealias`, {
        method: "POST",
        headers: { "api-key": xq.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ user: "switch@alias.local" }),
      });
      return { type: res.headers.get("content-type") ?? "", text: await res.text() };
    };
    assert.match((await ask()).type, /^text\/plain/);
    xq.setTokenReplies("json-string");
    const quoted = await ask();
    assert.match(quoted.type, /^application\/json/);
    assert.equal(typeof JSON.parse(quoted.text), "string");
    xq.setTokenReplies("json-labelled");
    const labelled = await ask();
    assert.match(labelled.type, /^application\/json/);
    assert.throws(() => JSON.parse(labelled.text));
  } finally {
    await xq.close();
  }
});

function assertBare(token: string): void {
  assert.ok(token.length > 10, token);
  assert.doesNotMatch(token, /["\s]/, token);
}
