/** The sandbox's own coin arithmetic (sandbox/data/ten_k.ts), against hand-worked values and big.js. */

import assert from "node:assert/strict";
import Big from "big.js";
import { parseTenK, TEN_K_PER_COIN, tenKText, tenKToNumber } from "../sandbox/data/ten_k.ts";
import { createRandom } from "../sandbox/data/prng.ts";

Deno.test("tenKText writes ten-thousandths with 0..4 places", () => {
  const cases: [bigint, number, string][] = [
    [0n, 4, "0.0000"],
    [0n, 0, "0"],
    [5n, 4, "0.0005"],
    [525n, 4, "0.0525"],
    [123400n, 4, "12.3400"],
    [123400n, 2, "12.34"],
    [123000n, 1, "12.3"],
    [120000n, 0, "12"],
    [-525n, 4, "-0.0525"],
    [-30000n, 2, "-3.00"],
    [12345678901234567890n, 4, "1234567890123456.7890"],
  ];
  for (const [tenK, scale, text] of cases) assert.equal(tenKText(tenK, scale), text);
  assert.equal(tenKText(123400n), "12.3400", "four places by default");
  assert.throws(() => tenKText(12345n, 2), /12345 ten-thousandths do not fit in 2 decimal places/);
  assert.throws(() => tenKText(1n, 5), /Invalid scale 5/);
  assert.throws(() => tenKText(1n, -1), RangeError);
});

Deno.test("parseTenK reads plain decimals of at most four places", () => {
  const cases: [string, bigint][] = [
    ["0", 0n],
    ["0.0525", 525n],
    ["12.34", 123400n],
    ["7", 70000n],
    ["-3", -30000n],
    ["-0.0001", -1n],
    ["1234567890123456.7890", 12345678901234567890n],
  ];
  for (const [text, tenK] of cases) assert.equal(parseTenK(text), tenK, text);
  for (const bad of ["", " 1", "1e3", "0.00001", ".5", "1.", "+1", "1,5", "NaN", "-"]) {
    assert.throws(() => parseTenK(bad), /as sandbox coins: expected a decimal with at most 4/, bad);
  }
  assert.equal(TEN_K_PER_COIN, 10_000n);
  assert.equal(tenKToNumber(123400n), 12.34);
  assert.equal(tenKToNumber(-525n), -0.0525);
});

Deno.test("sums of random amounts agree with big.js to the last digit", () => {
  const random = createRandom(20260314);
  for (let round = 0; round < 200; round++) {
    const texts: string[] = [];
    for (let i = 0; i < 50; i++) {
      const scale = random.int(0, 4);
      const int = String(random.int(0, 10 ** random.int(0, 9)));
      const frac = Array.from({ length: scale }, () => random.int(0, 9)).join("");
      const sign = random.next() < 0.2 ? "-" : "";
      texts.push(`${sign}${int}${scale > 0 ? `.${frac}` : ""}`);
    }
    const ours = texts.reduce((sum, t) => sum + parseTenK(t), 0n);
    const theirs = texts.reduce((sum, t) => sum.plus(new Big(t)), new Big(0));
    assert.equal(tenKText(ours), theirs.toFixed(4), texts.join(" + "));
  }
});
