import assert from "node:assert/strict";
import { UsageError } from "../client/errors.ts";
import { isValidUsername, parseDelimiter, parseOnboardCsv } from "../reports/onboard/csv.ts";

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  assert.fail("expected a UsageError");
}

Deno.test("parseOnboardCsv reads rows with their start lines, skipping blank lines", () => {
  const text =
    'username,organisation,unit\r\nalice,Acme,\r\n\r\nbob, Acme , Lab\r\n"carol",,"Lab"\r\n';
  const parsed = parseOnboardCsv(text, { file: "m.csv" });
  assert.deepEqual(parsed.issues, []);
  assert.deepEqual(parsed.rows, [
    { line: 2, username: "alice", organisation: "Acme", unit: "" },
    { line: 4, username: "bob", organisation: "Acme", unit: "Lab" },
    { line: 5, username: "carol", organisation: "", unit: "Lab" },
  ]);
});

Deno.test("parseOnboardCsv accepts a BOM, columns in any order and case, lower-cases usernames", () => {
  const bytes = new TextEncoder().encode("\uFEFFUnit,Username,Organisation\nLab,Dave,\n");
  const parsed = parseOnboardCsv(bytes, { file: "b.csv" });
  assert.deepEqual(parsed.rows, [{ line: 2, username: "dave", organisation: "", unit: "Lab" }]);
});

Deno.test("parseOnboardCsv counts lines from where a multi-line record starts", () => {
  const text = 'username,organisation,unit\nalice,"Acme\nLtd",\nbad name,Acme,\n';
  const parsed = parseOnboardCsv(text, { file: "q.csv" });
  assert.equal(parsed.rows[0].line, 2);
  assert.equal(parsed.issues.length, 1);
  assert.equal(parsed.issues[0].line, 4);
  assert.match(parsed.issues[0].message, /^File "q\.csv" line 4: username "bad name" is not valid/);
});

Deno.test("parseOnboardCsv reports bad rows by line with the fix", () => {
  const text = [
    "username,organisation,unit",
    ",Acme,", // 2: missing username
    "ab,Acme,", // 3: too short
    "eve,,", // 4: no target
    "frank,Acme", // 5: wrong field count
    "-grace,Acme,", // 6: leading separator
    "heidi@example.com,Acme,", // 7: fine
  ].join("\n");
  const parsed = parseOnboardCsv(text, { file: "bad.csv" });
  assert.deepEqual(parsed.rows.map((r) => r.line), [7]);
  assert.deepEqual(parsed.issues.map((i) => i.line), [2, 3, 4, 5, 6]);
  assert.match(parsed.issues[0].message, /username is missing; fill in/);
  assert.match(parsed.issues[1].message, /username "ab" is not valid; use 3-80/);
  assert.match(parsed.issues[2].message, /neither an organisation nor a unit; fill in/);
  assert.match(parsed.issues[3].message, /has 2 field\(s\) but the header has 3/);
  assert.match(parsed.issues[4].message, /username "-grace" is not valid/);
  for (const issue of parsed.issues) assert.match(issue.message, /^File "bad\.csv" line \d+: /);
});

Deno.test("isValidUsername follows the AS pattern", () => {
  for (const ok of ["abc", "a.b-c@d.org", "user_1", "x".repeat(80)]) {
    assert.ok(isValidUsername(ok), ok);
  }
  for (const bad of ["ab", "x".repeat(81), "a..b", "a b", "abc.", "@abc", "a/b", "ab€"]) {
    assert.ok(!isValidUsername(bad), bad);
  }
});

Deno.test("parseOnboardCsv refuses extra columns unless told to ignore them", () => {
  const text = "username,organisation,unit,email\nalice,Acme,,a@x.org\n";
  assert.match(
    usageMessage(() => parseOnboardCsv(text, { file: "x.csv" })),
    /^File "x\.csv" line 1: unexpected column\(s\) "email"; remove them or pass --ignore-extra-columns$/,
  );
  const parsed = parseOnboardCsv(text, { file: "x.csv", ignoreExtraColumns: true });
  assert.deepEqual(parsed.ignoredColumns, ["email"]);
  assert.equal(parsed.rows[0].organisation, "Acme");
});

Deno.test("parseOnboardCsv rejects malformed files with a usage error", () => {
  assert.match(usageMessage(() => parseOnboardCsv("", { file: "e.csv" })), /"e\.csv" is empty/);
  assert.match(usageMessage(() => parseOnboardCsv("\n \n", { file: "e.csv" })), /is empty/);
  assert.match(
    usageMessage(() => parseOnboardCsv("username,organisation,unit\n", { file: "h.csv" })),
    /has a header but no rows/,
  );
  assert.match(
    usageMessage(() => parseOnboardCsv("user,org,unit\nalice,Acme,\n", { file: "w.csv" })),
    /line 1: the header "user,org,unit" has no "username" column; the first line must be "username,organisation,unit"/,
  );
  assert.match(
    usageMessage(() =>
      parseOnboardCsv('username,organisation,unit\nalice,"Acme,\nbob,x,\n', { file: "q.csv" })
    ),
    /"q\.csv" is not valid CSV near line \d+: a quoted field is never closed/,
  );
  assert.match(
    usageMessage(() =>
      parseOnboardCsv("username,organisation,unit,unit\na,b,c,d\n", { file: "d.csv" })
    ),
    /names "unit" twice/,
  );
});

Deno.test("parseOnboardCsv rejects binary input", () => {
  const garbage = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0xff]);
  assert.match(usageMessage(() => parseOnboardCsv(garbage, { file: "g.csv" })), /not UTF-8 text/);
  const zeros = new TextEncoder().encode("username,organisation,unit\n\u0000\u0001,x,y\n");
  assert.match(
    usageMessage(() => parseOnboardCsv(zeros, { file: "z.csv" })),
    /looks binary .*line 2/,
  );
});

Deno.test("parseOnboardCsv names the separator of a ';' or tab file and reads it with delimiter", () => {
  const semi = "username;organisation;unit\r\nalice;Acme, Ltd.;\r\n";
  assert.equal(
    usageMessage(() => parseOnboardCsv(semi, { file: "users.csv" })),
    "File \"users.csv\" looks separated by ';' (Excel in some locales), not by ',': save it as comma-separated CSV (UTF-8), or pass --delimiter ';'",
  );
  // Quoted headers do not even parse as comma-separated CSV; the separator is still named.
  const quoted = '"username";"organisation";"unit"\n"alice";"Acme";""\n';
  assert.match(
    usageMessage(() => parseOnboardCsv(quoted, { file: "q.csv" })),
    /^File "q\.csv" looks separated by ';' .*--delimiter ';'$/,
  );
  assert.match(
    usageMessage(() => parseOnboardCsv("username\torganisation\tunit\nbob\t\tLab\n")),
    /looks separated by tabs, not by ',': .*or pass --delimiter tab$/,
  );
  assert.deepEqual(parseOnboardCsv(semi, { delimiter: ";" }).rows, [
    { line: 2, username: "alice", organisation: "Acme, Ltd.", unit: "" },
  ]);
  assert.deepEqual(parseOnboardCsv(quoted, { delimiter: ";" }).rows, [
    { line: 2, username: "alice", organisation: "Acme", unit: "" },
  ]);
  assert.deepEqual(
    parseOnboardCsv("username\torganisation\tunit\nbob\t\tLab\n", { delimiter: "\t" }).rows,
    [{ line: 2, username: "bob", organisation: "", unit: "Lab" }],
  );
  // The other way round: a comma file read with --delimiter ';'.
  assert.match(
    usageMessage(() =>
      parseOnboardCsv("username,organisation,unit\nalice,Acme,\n", { delimiter: ";" })
    ),
    /looks separated by ',', not by ';': drop --delimiter \(comma is the default\)$/,
  );
  // A header that is simply wrong keeps its own message.
  assert.match(usageMessage(() => parseOnboardCsv("user,org\nalice,Acme\n")), /no "username"/);
});

Deno.test("parseDelimiter reads the --delimiter spellings and refuses others", () => {
  const cases: [string, string][] = [
    [",", ","],
    ["comma", ","],
    [";", ";"],
    ["Semicolon", ";"],
    ["tab", "\t"],
    ["\\t", "\t"],
    ["\t", "\t"],
    ["|", "|"],
    ["pipe", "|"],
  ];
  for (const [text, expected] of cases) assert.equal(parseDelimiter(text), expected, text);
  assert.match(usageMessage(() => parseDelimiter(":")), /^Invalid --delimiter ":"; give one of/);
});
