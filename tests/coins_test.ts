import assert from "node:assert/strict";
import Big from "big.js";
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

Deno.test("Coins.parse keeps the digits and the scale it was given", () => {
  const cases: [string, bigint, number, string][] = [
    // text, units, scale, toString (hand-worked)
    ["0", 0n, 0, "0"],
    ["7", 7n, 0, "7"],
    ["12.50", 1250n, 2, "12.50"],
    ["0.0525", 525n, 4, "0.0525"],
    ["007.50", 750n, 2, "7.50"],
    [".5", 5n, 1, "0.5"],
    ["+.5", 5n, 1, "0.5"],
    ["+3.25", 325n, 2, "3.25"],
    ["-0.3", -3n, 1, "-0.3"],
    ["-.05", -5n, 2, "-0.05"],
    ["-12.000", -12000n, 3, "-12.000"],
    ["-0", 0n, 0, "0"],
    ["-0.00", 0n, 2, "0.00"],
    [" 1.5\t", 15n, 1, "1.5"], // surrounding white space is trimmed
    ["123456789012345.678901", 123456789012345678901n, 6, "123456789012345.678901"],
    ["0.000000000000000000000001", 1n, 24, "0.000000000000000000000001"],
  ];
  for (const [text, units, scale, shown] of cases) {
    const c = Coins.parse(text);
    assert.equal(c.units, units, JSON.stringify(text));
    assert.equal(c.scale, scale, JSON.stringify(text));
    assert.equal(c.toString(), shown, JSON.stringify(text));
    assert.equal(JSON.stringify(c), JSON.stringify(shown));
  }
});

Deno.test("Coins formats scaled units, negatives and zero padding", () => {
  assert.equal(new Coins(5n, 4).toString(), "0.0005");
  assert.equal(new Coins(-5n, 4).toString(), "-0.0005");
  assert.equal(new Coins(-12345n, 2).toString(), "-123.45");
  assert.equal(new Coins(100n, 0).toString(), "100");
  assert.equal(new Coins(0n, 3).toString(), "0.000");
  assert.equal(Coins.zero().toString(), "0");
  assert.equal(Coins.parse("1.5").withScale(4).toString(), "1.5000");
  assert.equal(Coins.parse("-1.5").withScale(2).toString(), "-1.50");
  assert.throws(() => new Coins(1n, -1), RangeError);
  assert.throws(() => new Coins(1n, 1.5), RangeError);
});

Deno.test("negatives: sums, differences and comparisons across zero (hand-worked)", () => {
  assert.equal(Coins.sum(["-1.25", "-2.5", "3.75"]).toString(), "0.00");
  assert.ok(Coins.sum(["-1.25", "-2.5", "3.75"]).isZero());
  assert.equal(Coins.parse("-0.01").plus("-0.99").toString(), "-1.00");
  assert.equal(Coins.parse("1").minus("1.0001").toString(), "-0.0001");
  assert.equal(Coins.parse("-5").minus("-7.5").toString(), "2.5");
  assert.equal(Coins.parse("-2").compare("-10"), 1);
  assert.equal(Coins.parse("-0.1").compare("0"), -1);
  assert.equal(Coins.parse("-0.00").compare("0"), 0);
  assert.ok(Coins.parse("-3.10").equals("-3.1"));
  assert.ok(!Coins.parse("-3.1").equals("3.1"));
  assert.equal(Coins.parse("-3.1").toNumber(), -3.1);
});

Deno.test("15 and more significant digits add exactly (hand-worked and big.js)", () => {
  const big = "123456789012345.678901"; // 21 significant digits, beyond a double's ~15.9
  assert.equal(Coins.sum(Array(10).fill(big)).toString(), "1234567890123456.789010");
  assert.equal(Coins.parse(big).plus(big).toString(), "246913578024691.357802");
  assert.equal(Coins.parse(big).minus("0.000001").toString(), "123456789012345.678900");
  assert.equal(
    Coins.sum(["99999999999999999999.9999", "0.0001"]).toString(),
    "100000000000000000000.0000",
  );
  // A double cannot hold these sums: the float total is off, Coins is not.
  const floats = Array(10).fill(big).reduce((a: number, v: string) => a + Number(v), 0);
  assert.notEqual(String(floats), "1234567890123456.78901");
  const values = ["98765432109876.54321", "0.00001", "-12345678901234.5", "7"];
  assert.equal(
    Coins.sum(values).toString(),
    values.reduce((a, v) => a.plus(v), new Big(0)).toFixed(5),
  );
  assert.ok(Coins.parse("123456789012345.678902").compare(big) === 1);
});

Deno.test("Coins never rounds: withScale only widens, toNumber is the only lossy step", () => {
  // Coins has no rounding mode: asking for fewer places keeps every digit.
  assert.equal(Coins.parse("1.23456").withScale(2).toString(), "1.23456");
  assert.equal(Coins.parse("1.23456").withScale(5).toString(), "1.23456");
  assert.equal(Coins.parse("0.005").plus("0.005").toString(), "0.010");
  assert.equal(Coins.sum(["0.3333", "0.3333", "0.3334"]).toString(), "1.0000");
  // toNumber gives the nearest double of the exact decimal (for display only).
  assert.equal(Coins.parse("0.1").plus("0.2").toNumber(), 0.3);
  assert.equal(Coins.parse("123456789012345.678901").toNumber(), 123456789012345.67);
  assert.equal(Coins.parse("0.1").plus("0.2").toString(), "0.3");
});

Deno.test("malformed coin text is a UsageError naming the input and the fix", () => {
  const bad = [
    "1e3",
    "1E-2",
    "",
    " ",
    "1.2.3",
    "12,5",
    "1,000.00",
    "NaN",
    "Infinity",
    "-",
    "+",
    ".",
    "-.",
    "1.",
    "--1",
    "0x10",
    "1_000",
    "1 000",
    "$12",
    "12 EUR",
    "\u0661\u0662", // Arabic-Indic digits are not ASCII digits
  ];
  for (const text of bad) {
    assert.throws(() => Coins.parse(text), (e: Error) => {
      assert.ok(e instanceof UsageError, `${JSON.stringify(text)}: ${e}`);
      assert.equal(e.exitCode, 2);
      assert.equal(
        e.message,
        `Cannot read coins "${text}": expected a decimal such as "12.50"`,
      );
      return true;
    }, JSON.stringify(text));
  }
  // Strings met in sums and comparisons go through the same check.
  assert.throws(() => Coins.zero().plus("1e3"), UsageError);
  assert.throws(() => Coins.sum(["1", "two"]), UsageError);
  assert.throws(() => Coins.parse("1").compare("x"), UsageError);
  assert.throws(() => Coins.parse("1").minus(""), UsageError);
});

/** A small seeded PRNG (mulberry32), so the property loop is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random plain decimal: optional sign, 0..20 integer digits, 0..12 fraction digits. */
function randomDecimal(next: () => number): string {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join("");
  const sign = next() < 0.25 ? "-" : next() < 0.05 ? "+" : "";
  const intDigits = Math.floor(next() * 21);
  const fracDigits = Math.floor(next() * 13);
  const int = intDigits === 0 ? (next() < 0.5 ? "0" : "") : digits(intDigits);
  const frac = fracDigits === 0 ? "" : `.${digits(fracDigits)}`;
  return int === "" && frac === "" ? `${sign}0` : `${sign}${int}${frac}`;
}

/** The same number in a form big.js reads: it rejects a leading "+" and a bare ".5". */
function bigForm(text: string): string {
  const unsigned = text.replace(/^\+/, "");
  return unsigned.replace(/^(-?)\./, (_all, sign: string) => `${sign}0.`);
}

Deno.test("property: thousands of random decimals sum, subtract and compare as big.js does", () => {
  const next = mulberry32(0xc0115);
  let coins = Coins.zero();
  let big = new Big(0);
  let scale = 0;
  for (let i = 0; i < 4000; i++) {
    const text = randomDecimal(next);
    const forBig = bigForm(text);
    const c = Coins.parse(text);
    assert.ok(new Big(c.toString()).eq(forBig), `parse ${text}`);
    scale = Math.max(scale, c.scale);
    coins = coins.plus(text);
    big = big.plus(forBig);
    if (i % 100 === 99) assert.equal(coins.toString(), big.toFixed(scale), `after ${i + 1}`);
    const other = randomDecimal(next);
    const otherBig = bigForm(other);
    assert.equal(c.compare(other), new Big(forBig).cmp(otherBig), `${text} vs ${other}`);
    assert.ok(new Big(c.minus(other).toString()).eq(new Big(forBig).minus(otherBig)));
  }
  assert.equal(coins.toString(), big.toFixed(scale));
  assert.equal(coins.scale, scale);
  // Batch sums of the same stream agree too.
  const again = mulberry32(7);
  const texts = Array.from({ length: 3000 }, () => randomDecimal(again));
  const bigTotal = texts.reduce(
    (a, t) => a.plus(bigForm(t)),
    new Big(0),
  );
  assert.ok(new Big(Coins.sum(texts).toString()).eq(bigTotal));
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
