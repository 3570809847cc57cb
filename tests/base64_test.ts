// client/base64.ts against the platform's own base64 (Uint8Array.prototype.toBase64 and
// Uint8Array.fromBase64, available on the Deno the tests run on) as the oracle.
import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "../client/base64.ts";

Deno.test("base64: encodes and decodes like the platform, both alphabets, any length", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  for (let n = 0; n < 300; n++) {
    const bytes = new Uint8Array(n).map(() => next() % 256);
    const std = bytes.toBase64();
    const url = bytes.toBase64({ alphabet: "base64url", omitPadding: true });
    assert.equal(encodeBase64(bytes), std);
    assert.equal(encodeBase64(bytes, { url: true }), url);
    assert.equal(encodeBase64(bytes, { pad: false }), std.replace(/=+$/, ""));
    assert.deepEqual(decodeBase64(std), bytes);
    assert.deepEqual(decodeBase64(url, { url: true }), bytes);
    assert.deepEqual(decodeBase64(std.replace(/=+$/, "")), bytes, "padding is optional");
  }
  const big = new Uint8Array(200_000).map((_, i) => i % 251);
  assert.equal(encodeBase64(big), big.toBase64());
});

Deno.test("base64: text outside the alphabet or of an impossible length is refused", () => {
  for (const bad of ["a+b/", "ab cd", "abcde", "ab=c", "é"]) {
    assert.throws(() => decodeBase64(bad, { url: true }), SyntaxError, bad);
  }
  for (const bad of ["a-b_", "ab\ncd", "abcde", "abc=="]) {
    assert.throws(() => decodeBase64(bad), SyntaxError, bad);
  }
});
