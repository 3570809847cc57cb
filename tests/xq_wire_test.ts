import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import {
  expiresHours,
  keysFromReply,
  keyText,
  recipientList,
  serverText,
  tokenFromReply,
  tokensFromReply,
} from "../client/xq/wire.ts";

Deno.test("tokensFromReply reads every shape the SDKs saw, in key order", () => {
  const keys = ["k1", "k2"];
  // Live API (Python examples): one pair per key, key -> token.
  assert.deepEqual(tokensFromReply({ tokens: [{ k1: "t1" }, { k2: "t2" }] }, keys), ["t1", "t2"]);
  // Python mocks: locator_token + index, possibly out of order.
  assert.deepEqual(
    tokensFromReply({
      tokens: [{ locator_token: "t2", index: 1 }, { locator_token: "t1", index: 0 }],
    }, keys),
    ["t1", "t2"],
  );
  // Plain strings.
  assert.deepEqual(tokensFromReply({ tokens: ["t1", "t2"] }, keys), ["t1", "t2"]);
  // Wrong counts or shapes are refused, not guessed.
  assert.equal(tokensFromReply({ tokens: ["t1"] }, keys), undefined);
  assert.equal(tokensFromReply({ tokens: [{ k1: 5 }, { k2: "t2" }] }, keys), undefined);
  assert.equal(tokensFromReply("t1", keys), undefined);
  assert.equal(
    tokensFromReply({ tokens: [{ locator_token: "t", index: 7 }, "x"] }, keys),
    undefined,
  );
});

Deno.test("keysFromReply merges exported pairs; tokenFromReply accepts text and {exchange}", () => {
  const map = keysFromReply({ exported: [{ a: ".1x" }, { b: ".1y" }, null] });
  assert.deepEqual([...map!.entries()], [["a", ".1x"], ["b", ".1y"]]);
  assert.equal(keysFromReply({}), undefined);
  assert.equal(tokenFromReply(undefined, " tok \n"), "tok");
  assert.equal(tokenFromReply({ exchange: "pre" }, '{"exchange":"pre"}'), "pre");
  assert.equal(tokenFromReply(undefined, ""), undefined);
  assert.equal(serverText({ status: "Failed to locate API key" }, ""), "Failed to locate API key");
  assert.equal(serverText({ reason: "r" }, ""), "r");
  assert.equal(serverText(undefined, "<html>oops</html>"), undefined);
});

Deno.test("packet inputs are checked before any request", () => {
  assert.deepEqual(recipientList([" a@example.com ", ""]), ["a@example.com"]);
  assert.throws(() => recipientList([]), UsageError);
  assert.equal(expiresHours(undefined), 24);
  assert.throws(() => expiresHours(1.5), /Invalid expiry "1.5" hours/);
  assert.throws(() => expiresHours(0), UsageError);
  assert.equal(keyText(new TextEncoder().encode(".1abc")), ".1abc");
  assert.throws(() => keyText(new Uint8Array([0xff, 0xfe])), /not valid UTF-8/);
  assert.throws(() => keyText(""), UsageError);
});
