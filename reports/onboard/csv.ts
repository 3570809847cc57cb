/**
 * Reading and first-stage validation of a bulk onboarding CSV: the header
 * `username,organisation,unit`, one membership request per row. Problems with the file as
 * a whole (not text, unbalanced quotes, wrong header, no rows) throw a {@link UsageError};
 * problems with single rows are returned as {@link RowIssue}s so that every bad row can be
 * reported at once, naming the file, the line and the fix.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { UsageError } from "../../client/errors.ts";

/** The columns an onboarding CSV must have. */
export const ONBOARD_COLUMNS: readonly ["username", "organisation", "unit"] = [
  "username",
  "organisation",
  "unit",
];

/** One data row of the input, fields trimmed; an empty field is `""`. */
export interface OnboardRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  /** The AS username to add or remove. */
  username: string;
  /** An organisation id (`org-<uuid>`) or exact name, or `""`. */
  organisation: string;
  /** A unit id (`unit-<uuid>`) or exact name, or `""`. */
  unit: string;
}

/** A problem with one row: where it is and what to do about it. */
export interface RowIssue {
  /** 1-based line of the file where the row starts. */
  line: number;
  /** A message starting upper-case that names the input and the fix. */
  message: string;
  /** The row's fields, when the row could be read. */
  row?: OnboardRow;
}

/** What {@link parseOnboardCsv} returns: the well-formed rows and the rows it rejected. */
export interface ParsedOnboardCsv {
  /** The file name used in messages. */
  file: string;
  /** Rows that passed the checks of this stage (names are resolved later). */
  rows: OnboardRow[];
  /** Rows that did not; a row is never in both lists. */
  issues: RowIssue[];
  /** Extra columns that were ignored (only with `ignoreExtraColumns`). */
  ignoredColumns: string[];
}

/** Options of {@link parseOnboardCsv}. */
export interface ParseOnboardOptions {
  /** The file name used in messages (default `"input"`). */
  file?: string;
  /** Accept and ignore columns other than the three known ones (default: an error). */
  ignoreExtraColumns?: boolean;
  /**
   * The field separator: `,` (default), `;`, a tab or `|` (see {@link parseDelimiter}).
   * A file separated by another of these is refused with a message naming its separator.
   */
  delimiter?: Delimiter;
}

/** The field separators an onboarding file may use. */
export type Delimiter = "," | ";" | "\t" | "|";

const DELIMITERS: readonly Delimiter[] = [",", ";", "\t", "|"];

/**
 * Reads the value of `--delimiter`: `,` `;` `|`, a tab character, or the words `comma`,
 * `semicolon`, `tab` (also written `\t`) and `pipe`.
 *
 * @throws {UsageError} for anything else.
 */
export function parseDelimiter(text: string): Delimiter {
  const words: Record<string, Delimiter> = {
    ",": ",",
    comma: ",",
    ";": ";",
    semicolon: ";",
    "\t": "\t",
    "\\t": "\t",
    tab: "\t",
    "|": "|",
    pipe: "|",
  };
  const found = words[text.toLowerCase()];
  if (!found) {
    throw new UsageError(
      `Invalid --delimiter "${text}"; give one of "," ";" "|" or tab (e.g. --delimiter ';')`,
    );
  }
  return found;
}

/** A delimiter in words for messages: `';'`, `tabs`, `','`, `'|'`. */
function delimiterWords(d: Delimiter): string {
  return d === "\t" ? "tabs" : `'${d}'`;
}

/** The `--delimiter` argument that selects `d`, as a user would type it. */
function delimiterFlag(d: Delimiter): string {
  return d === "\t" ? "tab" : `'${d}'`;
}

// AS reference §3.7/§5.1: a username is 3–80 characters of word characters, with `@`, `.`
// and `-` as separators. We read "separators" strictly: no separator at either end and
// never two in a row, so `a..b` or `-bob` are refused before any request is made.
const USERNAME_RE = /^\w+(?:[@.-]\w+)*$/;

/** True when `username` matches the AS username pattern (3–80 chars, `@ . -` separators). */
export function isValidUsername(username: string): boolean {
  return username.length >= 3 && username.length <= 80 && USERNAME_RE.test(username);
}

/**
 * Parses the bytes or text of an onboarding CSV. A UTF-8 BOM is accepted; the header's
 * columns may come in any order and any letter case; blank lines are skipped.
 *
 * @throws {UsageError} when the input is not UTF-8 text, is empty, is not valid CSV, or has
 * a header other than `username,organisation,unit` (plus extras when allowed).
 */
export function parseOnboardCsv(
  input: string | Uint8Array,
  options: ParseOnboardOptions = {},
): ParsedOnboardCsv {
  const file = options.file ?? "input";
  const text = decodeText(input, file);
  const delimiter = options.delimiter ?? ",";
  const records = parseRecords(text, file, delimiter);
  if (records.length === 0) {
    throw new UsageError(
      `File "${file}" is empty: give it the header "${
        ONBOARD_COLUMNS.join(",")
      }" and one row per membership`,
    );
  }
  const header = records[0];
  const layout = readHeader(
    header.fields,
    file,
    options.ignoreExtraColumns ?? false,
    delimiter,
    text,
  );
  const rows: OnboardRow[] = [];
  const issues: RowIssue[] = [];
  for (const record of records.slice(1)) {
    const checked = checkRecord(record, layout, file);
    if ("message" in checked) issues.push(checked);
    else rows.push(checked);
  }
  if (rows.length === 0 && issues.length === 0) {
    throw new UsageError(
      `File "${file}" has a header but no rows: add one line per membership below the header`,
    );
  }
  return { file, rows, issues, ignoredColumns: layout.ignored };
}

interface RawRecord {
  line: number;
  fields: string[];
}

interface HeaderLayout {
  width: number;
  index: Record<(typeof ONBOARD_COLUMNS)[number], number>;
  ignored: string[];
}

function decodeText(input: string | Uint8Array, file: string): string {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      throw new UsageError(
        `File "${file}" is not UTF-8 text: save it as CSV (UTF-8) and try again`,
      );
    }
  }
  // Control characters other than tab and line breaks do not occur in a CSV a person or a
  // spreadsheet writes; they mean a binary file was given by mistake.
  // deno-lint-ignore no-control-regex
  const bad = text.search(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  if (bad >= 0) {
    const line = text.slice(0, bad).split("\n").length;
    throw new UsageError(
      `File "${file}" looks binary (control character on line ${line}): give a CSV text file`,
    );
  }
  return text;
}

function parseRecords(text: string, file: string, delimiter: Delimiter): RawRecord[] {
  // Line breaks are normalised first so that line numbers are right for CRLF files too.
  const normal = text.replace(/\r\n?/g, "\n");
  type Parsed = { record: string[]; raw: string; info: { lines: number } };
  let parsed: Parsed[];
  try {
    parsed = parse(normal, {
      bom: true,
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Parsed[];
  } catch (error) {
    // A file in another separator can fail to parse at all (`"username";"unit"` has text
    // after a closing quote): name the separator rather than the quotes.
    const other = otherDelimiter(text, delimiter);
    if (other) throw new UsageError(delimiterMessage(file, other, delimiter), { cause: error });
    const e = error as { code?: string; lines?: number; message?: string };
    const where = typeof e.lines === "number" ? ` near line ${e.lines}` : "";
    const why = e.code === "CSV_QUOTE_NOT_CLOSED"
      ? "a quoted field is never closed"
      : (e.message ?? String(error)).replace(/\.$/, "");
    throw new UsageError(
      `File "${file}" is not valid CSV${where}: ${why}; check the quotes (a quote inside a quoted field is written "")`,
      { cause: error },
    );
  }
  const records: RawRecord[] = [];
  for (const { record, raw, info } of parsed) {
    if (record.every((field) => field.trim() === "")) continue;
    const body = raw.replace(/^\n+/, "").replace(/\n$/, "");
    const inner = body.split("\n").length - 1;
    records.push({ line: info.lines - inner, fields: record });
  }
  return records;
}

/**
 * The separator the first line of `text` seems to use when it is not `delimiter`: one of the
 * others that splits it into the expected columns, or, failing that, one that occurs in a
 * line that has no `delimiter` at all.
 */
function otherDelimiter(text: string, delimiter: Delimiter): Delimiter | undefined {
  const line = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/, 1)[0];
  const others = DELIMITERS.filter((d) => d !== delimiter);
  const splits = (d: Delimiter) => {
    const names = line.split(d).map((f) => f.trim().replace(/^"|"$/g, "").trim().toLowerCase());
    return ONBOARD_COLUMNS.every((c) => names.includes(c));
  };
  return others.find(splits) ??
    (line.includes(delimiter) ? undefined : others.find((d) => line.includes(d)));
}

/** The message for a file separated by `other` instead of `delimiter`. */
function delimiterMessage(file: string, other: Delimiter, delimiter: Delimiter): string {
  const excel = other === ";" ? " (Excel in some locales)" : "";
  const fix = other === ","
    ? "drop --delimiter (comma is the default)"
    : `save it as comma-separated CSV (UTF-8), or pass --delimiter ${delimiterFlag(other)}`;
  return `File "${file}" looks separated by ${delimiterWords(other)}${excel}, not by ${
    delimiterWords(delimiter)
  }: ${fix}`;
}

function readHeader(
  fields: string[],
  file: string,
  ignoreExtra: boolean,
  delimiter: Delimiter,
  text: string,
): HeaderLayout {
  const names = fields.map((f) => f.trim().toLowerCase());
  const expected = ONBOARD_COLUMNS.join(delimiter);
  const index = {} as HeaderLayout["index"];
  for (const column of ONBOARD_COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0) {
      const other = otherDelimiter(text, delimiter);
      if (other) throw new UsageError(delimiterMessage(file, other, delimiter));
      throw new UsageError(
        `File "${file}" line 1: the header "${
          fields.join(",")
        }" has no "${column}" column; the first line must be "${expected}"`,
      );
    }
    if (names.indexOf(column, at + 1) >= 0) {
      throw new UsageError(
        `File "${file}" line 1: the header names "${column}" twice; the first line must be "${expected}"`,
      );
    }
    index[column] = at;
  }
  const ignored = fields.filter((_f, i) =>
    !(ONBOARD_COLUMNS as readonly string[]).includes(names[i])
  );
  if (ignored.length > 0 && !ignoreExtra) {
    throw new UsageError(
      `File "${file}" line 1: unexpected column(s) ${
        ignored.map((c) => `"${c}"`).join(", ")
      }; remove them or pass --ignore-extra-columns`,
    );
  }
  return { width: fields.length, index, ignored };
}

function checkRecord(
  record: RawRecord,
  layout: HeaderLayout,
  file: string,
): OnboardRow | RowIssue {
  const { line, fields } = record;
  const at = `File "${file}" line ${line}`;
  if (fields.length !== layout.width) {
    return {
      line,
      message:
        `${at}: has ${fields.length} field(s) but the header has ${layout.width}; give every row the same number of commas (leave a field empty, not out)`,
    };
  }
  // Keycloak stores every username in lower case, and the AS knows users by that name:
  // "Jane.Doe" in a file can only mean the account "jane.doe", so the name is lower-cased
  // (otherwise a membership would be created for a user who can never log in as it).
  const username = fields[layout.index.username].trim().toLowerCase();
  const organisation = fields[layout.index.organisation].trim();
  const unit = fields[layout.index.unit].trim();
  const row = { line, username, organisation, unit };
  if (username === "") {
    return { line, row, message: `${at}: the username is missing; fill in the "username" column` };
  }
  if (!isValidUsername(username)) {
    return {
      line,
      row,
      message:
        `${at}: username "${username}" is not valid; use 3-80 letters, digits or "_", separated by single "@", "." or "-"`,
    };
  }
  if (organisation === "" && unit === "") {
    return {
      line,
      row,
      message:
        `${at}: user "${username}" has neither an organisation nor a unit; fill in at least one of them`,
    };
  }
  return row;
}
