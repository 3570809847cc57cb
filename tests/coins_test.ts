import assert from "node:assert/strict";
import { Coins } from "../client/coins.ts";
import { UsageError } from "../client/errors.ts";
import { redact, redactUrl } from "../client/redact.ts";

Deno.test("Coins adds decimal strings exactly where floats drift", () => {
  const values = Array.from({ length: 10 }, () => "0.1");
  assert.equal(Coins.sum(values).toString(), "1.0");
  assert.notEqual(values.reduce((a, v) => a + Number(v), 0), 1);
  assert.equal(Coins.parse("12.50").plus("0.005").toString(), "12.505");
  assert.equal(Coins.parse("-1.25").plus("1").toString(), "-0.25");
  assert.equal(Coins.parse("0.3").minus("0.1").toString(), "0.2");
});

Deno.test("Coins compares numerically across scales", () => {
  assert.ok(Coins.parse("1.50").equals("1.5"));
  assert.equal(Coins.parse("2").compare("10.01"), -1);
  assert.equal(Coins.parse(".5").toString(), "0.5");
  assert.equal(Coins.sum([]).toString(), "0");
  assert.equal(JSON.stringify({ c: Coins.parse("3.000") }), '{"c":"3.000"}');
});

Deno.test("Coins rejects non-decimal text with a UsageError naming the input", () => {
  for (const bad of ["1e3", "abc", "", "1.2.3", "NaN"]) {
    assert.throws(() => Coins.parse(bad), (e) => e instanceof UsageError && e.exitCode === 2);
  }
});

Deno.test("redact hides tokens, passwords and keys", () => {
  const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ";
  const out = redact(
    `Authorization: Bearer ${jwt} password=hunter22 {"client_secret": "s3cr3t"} api-key=KEYKEY`,
  );
  for (const secret of [jwt, "hunter22", "s3cr3t", "KEYKEY"]) assert.ok(!out.includes(secret));
  assert.equal(redact("x my-long-secret y", ["my-long-secret"]), "x [REDACTED] y");
  assert.ok(!redactUrl("https://u:pw@h/x?access_token=abc").includes("pw@"));
});
