// The one concurrency pool (reports/_pool.ts) and its documented failure rule: a rejection
// stops every call not yet started, calls in flight run to their end before the caller
// hears of it, and a function that never rejects (onboarding's rows) runs every item.
import assert from "node:assert/strict";
import { mapPool } from "../reports/_pool.ts";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("mapPool: the first failure starts nothing new and waits for the calls in flight", async () => {
  const started: number[] = [];
  const finished: number[] = [];
  const failed = mapPool([1, 2, 3, 4, 5, 6], async (n) => {
    started.push(n);
    await tick(n === 2 ? 1 : 20);
    if (n === 2) throw new Error("item 2 failed");
    finished.push(n);
    return n;
  }, { concurrency: 3 });
  await assert.rejects(failed, /item 2 failed/);
  assert.deepEqual(started, [1, 2, 3], "nothing started after the failure");
  assert.deepEqual(finished.sort(), [1, 3], "the calls in flight ran to their end first");
});

Deno.test("mapPool: a function that turns failures into results runs every item", async () => {
  const out = await mapPool([1, 2, 3, 4], async (n) => {
    await tick(1);
    try {
      if (n % 2 === 0) throw new Error(`row ${n}`);
      return `ok ${n}`;
    } catch (error) {
      return `failed: ${(error as Error).message}`;
    }
  }, { concurrency: 2 });
  assert.deepEqual(out, ["ok 1", "failed: row 2", "ok 3", "failed: row 4"]);
});

Deno.test("mapPool: a concurrency that is not a positive number means one at a time", async () => {
  for (const concurrency of [NaN, 0, -3]) {
    let active = 0;
    let peak = 0;
    const out = await mapPool([1, 2, 3], async (n) => {
      peak = Math.max(peak, ++active);
      await tick(1);
      active--;
      return n;
    }, { concurrency });
    assert.deepEqual(out, [1, 2, 3], `concurrency ${concurrency}`);
    assert.equal(peak, 1, `concurrency ${concurrency}`);
  }
});
