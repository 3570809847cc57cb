/**
 * The file-name rule for charges exports:
 * `charges_<scope>_<name>_<from>_<until>.<ext>` (or `..._<YYYY-MM>.<ext>` for a calendar
 * month), e.g.
 * `charges_unit_chemistry-lab_2026-10-03_2026-11-03.xlsx`.
 *
 * - `<until>` is the period's exclusive end, the same date the AS API, the summary sheet and
 *   every other part of this project use, so the name and the contents never disagree.
 * - Names are folded to lower-case ASCII: accents are dropped (`Café` → `cafe`), everything
 *   that is not a letter or digit becomes `-`, runs of `-` collapse. The result is safe in
 *   URLs, `Content-Disposition` headers, shells and every common file system (no slashes,
 *   dots, quotes, spaces or reserved characters; case-insensitive file systems cannot clash).
 * - A name with nothing ASCII left (e.g. `北京`) falls back to the scope id, then `unnamed`.
 * - Long names are cut and given a short hash of the full name, so the name is bounded
 *   (at most {@link MAX_NAME_PART} characters) and two long names sharing a prefix still
 *   get different files. The same input always gives the same name.
 * - A calendar-month report (`charges --month 2026-11`) is named by its month instead of its
 *   two dates: `charges_organisation_acme_2026-11.xlsx`. The month says what finance asked
 *   for, and cannot be mistaken for a billing period (whose name always has two dates).
 * - Reports whose totals are not reconciled with the server's (written only when the user
 *   allowed it, `charges --allow-mismatch`) end in `_unreconciled`
 *   (`..._2026-11-03_unreconciled.xlsx`): the listing says it, and such a file never
 *   replaces a reconciled export of the same scope and period.
 * - Reports of sandbox data (any answer behind them carried the sandbox's
 *   `X-Squonk2-Sandbox` header) end in `_sandbox`, last, after `_unreconciled`
 *   (`..._2026-11-03_unreconciled_sandbox.csv`): a CSV file has no room for a SANDBOX DATA
 *   line without breaking its parsers, so its name says it (and its `data_source` column).
 *
 * @module
 */

import type { ChargeReport } from "../charges/model.ts";

/** Longest `<name>` part of a file name, hash included. */
export const MAX_NAME_PART = 48;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** Letters that NFKD does not decompose into ASCII. */
const SPECIAL_LETTERS: Record<string, string> = {
  "ß": "ss",
  "æ": "ae",
  "Æ": "ae",
  "ø": "o",
  "Ø": "o",
  "œ": "oe",
  "Œ": "oe",
  "đ": "d",
  "Đ": "d",
  "ł": "l",
  "Ł": "l",
  "þ": "th",
  "Þ": "th",
  "ð": "d",
  "Ð": "d",
  "ı": "i",
};

/**
 * The file name of a charges export, ASCII-safe and of bounded length (see the module
 * documentation for the rule).
 */
export function chargesFileName(
  report: Pick<ChargeReport, "scope" | "scopeName" | "scopeId" | "period"> & {
    sandbox?: boolean;
    reconciliation?: { ok: boolean };
  },
  ext: "csv" | "xlsx",
): string {
  const scope = asciiSlug(report.scope) || "scope";
  const name = namePart(report.scopeName, report.scopeId);
  const month = report.period.month;
  const dates = month !== undefined && MONTH.test(month)
    ? month
    : `${datePart(report.period.from)}_${datePart(report.period.until)}`;
  const marker = (report.reconciliation?.ok === false ? "_unreconciled" : "") +
    (report.sandbox ? "_sandbox" : "");
  return `charges_${scope}_${name}_${dates}${marker}.${ext === "xlsx" ? "xlsx" : "csv"}`;
}

/**
 * Folds `text` to lower-case ASCII letters, digits and single dashes, without leading or
 * trailing dashes; empty when nothing is left.
 */
export function asciiSlug(text: string): string {
  return String(text)
    .replace(/[\u0080-\uffff]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function namePart(name: string, id: string): string {
  const slug = asciiSlug(name) || asciiSlug(id) || "unnamed";
  if (slug.length <= MAX_NAME_PART) return slug;
  // Cut, then add a hash of the whole original so distinct long names stay distinct.
  const hash = fnv1a(`${name}\u0000${id}`);
  const head = slug.slice(0, MAX_NAME_PART - hash.length - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}

function datePart(date: string): string {
  if (ISO_DATE.test(date)) return date;
  // Collection always passes YYYY-MM-DD; anything else is still made safe, never trusted.
  return asciiSlug(date).slice(0, 20) || "undated";
}

/** 32-bit FNV-1a of the UTF-16 code units, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
