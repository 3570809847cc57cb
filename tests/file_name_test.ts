import assert from "node:assert/strict";
import { asciiSlug, chargesFileName, MAX_NAME_PART } from "../reports/writers/file_name.ts";
import type { ChargeReport } from "../reports/charges/model.ts";

type Named = Pick<ChargeReport, "scope" | "scopeName" | "scopeId" | "period">;

function named(scopeName: string, overrides: Partial<Named> = {}): Named {
  return {
    scope: "unit",
    scopeName,
    scopeId: "unit-0b5c7e1a",
    period: { pbp: -1, from: "2026-10-03", until: "2026-11-03", label: "prior billing period -1" },
    ...overrides,
  };
}

const SAFE = /^charges_[a-z]+_[a-z0-9-]+_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.(csv|xlsx)$/;

Deno.test("file name: charges_<scope>_<name>_<from>_<until>.<ext>", () => {
  assert.equal(
    chargesFileName(named("Chemistry Lab"), "xlsx"),
    "charges_unit_chemistry-lab_2026-10-03_2026-11-03.xlsx",
  );
  assert.equal(
    chargesFileName(named("all organisations", { scope: "all", scopeId: "" }), "csv"),
    "charges_all_all-organisations_2026-10-03_2026-11-03.csv",
  );
});

Deno.test("file name: sandbox data says so in the name, real data does not", () => {
  assert.equal(
    chargesFileName({ ...named("Chemistry Lab"), sandbox: true }, "csv"),
    "charges_unit_chemistry-lab_2026-10-03_2026-11-03_sandbox.csv",
  );
  assert.equal(
    chargesFileName({ ...named("Chemistry Lab"), sandbox: false }, "xlsx"),
    "charges_unit_chemistry-lab_2026-10-03_2026-11-03.xlsx",
  );
});

Deno.test("file name: an unreconciled report says so in the name, before _sandbox", () => {
  const bad = { ok: false };
  assert.equal(
    chargesFileName({ ...named("Chemistry Lab"), reconciliation: bad }, "csv"),
    "charges_unit_chemistry-lab_2026-10-03_2026-11-03_unreconciled.csv",
  );
  assert.equal(
    chargesFileName({ ...named("Chemistry Lab"), sandbox: true, reconciliation: bad }, "xlsx"),
    "charges_unit_chemistry-lab_2026-10-03_2026-11-03_unreconciled_sandbox.xlsx",
  );
  assert.equal(
    chargesFileName({ ...named("Chemistry Lab"), reconciliation: { ok: true } }, "xlsx"),
    "charges_unit_chemistry-lab_2026-10-03_2026-11-03.xlsx",
  );
});

Deno.test("file name: accents folded, unsafe characters replaced", () => {
  const cases: [string, string][] = [
    ["Café Müller, Ltd.", "cafe-muller-ltd"],
    ["Straße Øresund Łódź", "strasse-oresund-lodz"],
    ["../../etc/passwd", "etc-passwd"],
    ['a "quoted" name', "a-quoted-name"],
    ["back\\slash / slash", "back-slash-slash"],
    ["tab\tnew\nline\r", "tab-new-line"],
    ["=SUM(A1) & <b>", "sum-a1-b"],
    ["...dots...", "dots"],
    ["Ｆｕｌｌ－ｗｉｄｔｈ", "full-width"],
  ];
  for (const [name, slug] of cases) {
    const file = chargesFileName(named(name), "csv");
    assert.equal(file, `charges_unit_${slug}_2026-10-03_2026-11-03.csv`, name);
    assert.match(file, SAFE);
  }
});

Deno.test("file name: a name with nothing ASCII falls back to the id, then to 'unnamed'", () => {
  assert.equal(
    chargesFileName(named("北京化学"), "xlsx"),
    "charges_unit_unit-0b5c7e1a_2026-10-03_2026-11-03.xlsx",
  );
  assert.equal(
    chargesFileName(named("試験", { scopeId: "" }), "xlsx"),
    "charges_unit_unnamed_2026-10-03_2026-11-03.xlsx",
  );
});

Deno.test("file name: long names are bounded, hashed and still distinct", () => {
  const long = "Very Long Organisation Name ".repeat(20);
  const a = chargesFileName(named(long + "A"), "csv");
  const b = chargesFileName(named(long + "B"), "csv");
  assert.match(a, SAFE);
  assert.notEqual(a, b, "two long names with one prefix get different files");
  const name = a.split("_")[2];
  assert.ok(name.length <= MAX_NAME_PART, `name part is ${name.length} characters`);
  assert.match(name, /^very-long-organisation-name-.*-[0-9a-f]{8}$/);
  assert.ok(a.length < 100);
  assert.equal(chargesFileName(named(long + "A"), "csv"), a, "deterministic");
});

Deno.test("file name: malformed dates and scopes are made safe too", () => {
  const file = chargesFileName(
    named("x", { period: { from: "1 Oct/2026", until: "../x", label: "" } }),
    "csv",
  );
  assert.equal(file, "charges_unit_x_1-oct-2026_x.csv");
});

Deno.test("asciiSlug keeps letters and digits only", () => {
  assert.equal(asciiSlug("  Ünïcödé 42 — Ωmega "), "unicode-42-mega");
  assert.equal(asciiSlug("日本"), "");
});

Deno.test("file name: a calendar month is named by its month, markers after it", () => {
  const month = {
    month: "2026-11",
    from: "2026-11-01",
    until: "2026-12-01",
    label: "November 2026 (calendar month, 2026-11-01 to 2026-12-01 excl.)",
  };
  assert.equal(
    chargesFileName(named("Acme", { scope: "organisation", period: month }), "xlsx"),
    "charges_organisation_acme_2026-11.xlsx",
  );
  assert.equal(
    chargesFileName({ ...named("Acme", { period: month }), sandbox: true }, "csv"),
    "charges_unit_acme_2026-11_sandbox.csv",
  );
  // Something that is not a month never reaches the name unchecked: the dates are used.
  assert.equal(
    chargesFileName(named("Acme", { period: { ...month, month: "../x" } }), "csv"),
    "charges_unit_acme_2026-11-01_2026-12-01.csv",
  );
});
