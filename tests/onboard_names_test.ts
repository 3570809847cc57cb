// The nearest-name ranking of reports/_names.ts that onboarding's "unknown name" messages
// use. Expected orders are worked out by hand from the rules in the module doc.
import assert from "node:assert/strict";
import { closestNames, editDistance, foldName, rankByName } from "../reports/_names.ts";

const same = (s: string) => s;

Deno.test("foldName ignores case, accents and punctuation", () => {
  assert.equal(foldName("Acme Chemistry, Ltd."), "acme chemistry ltd");
  assert.equal(foldName('Société "Générale" de Synthèse'), "societe generale de synthese");
  assert.equal(foldName("  =SUM(A1)  Labs "), "sum a1 labs");
  assert.equal(foldName("Ørsted"), "ørsted", "Ø is a letter of its own, not O with a mark");
});

Deno.test("editDistance is the Levenshtein distance", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("abc", ""), 3);
  assert.equal(editDistance("flaw", "lawn"), 2);
  assert.equal(editDistance("crystalography", "crystallography"), 1);
  assert.equal(editDistance("same", "same"), 0);
});

Deno.test("rankByName: same-but-case, then containing, then shared word or typo, then the rest", () => {
  const names = ["Ops", "Medicinal Chemistry", "Acme Chemistry, Ltd.", "ACME chemistry"];
  const ranked = rankByName("Acme Chemistry", names, same);
  assert.deepEqual(ranked.map((r) => [r.name, r.tier]), [
    ["ACME chemistry", 0],
    ["Acme Chemistry, Ltd.", 1], // "acme chemistry ltd" contains "acme chemistry"
    ["Medicinal Chemistry", 2], // shares the word "chemistry"
    ["Ops", 3],
  ]);
  assert.equal(ranked[1].distance, 4, '" ltd" is four insertions');
  // The order does not depend on the order of the input.
  assert.deepEqual(
    rankByName("Acme Chemistry", [...names].reverse(), same).map((r) => r.name),
    ranked.map((r) => r.name),
  );
});

Deno.test("rankByName: a typo ranks by distance; ties go by name", () => {
  const ranked = rankByName("Crystalography", ["Ørsted Screening", "Crystallography"], same);
  assert.deepEqual(ranked.map((r) => [r.name, r.tier, r.distance]).slice(0, 1), [
    ["Crystallography", 2, 1],
  ]);
  assert.equal(ranked[1].tier, 3);
  // "lab" is in both, 2 letters short of each: equal tier and distance, so by name.
  assert.deepEqual(rankByName("Lab", ["Lab B", "Lab A"], same).map((r) => r.name), [
    "Lab A",
    "Lab B",
  ]);
});

Deno.test("closestNames keeps the nearest few; closeOnly drops unrelated names", () => {
  const names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta"];
  assert.equal(closestNames("x", names, same).length, 5, "five by default");
  // "betta": Beta is one deletion away (a typo: at most a third of 5 letters, i.e. 1);
  // Delta is two substitutions away, shares no word and contains nothing: unrelated.
  assert.deepEqual(
    closestNames("Betta", names, same, { closeOnly: true }).map((r) => r.name),
    ["Beta"],
  );
  assert.deepEqual(closestNames("Zeta", names, same, { limit: 2 }).map((r) => r.name), [
    "Zeta",
    "Eta", // "eta" is inside "zeta"
  ]);
  assert.deepEqual(closestNames("anything", [], same), []);
});
