/**
 * Detail rows encoded straight to UTF-8 bytes for exceljs's sheet stream (see xlsx_detail.ts
 * for why the rows are rendered here and how each cell is typed).
 *
 * The encoder appends each row's `<row>` XML into one reusable byte buffer, which the writer
 * hands to exceljs every batch of rows (exceljs copies it at once, so the buffer is reused).
 * Nothing per row outlives the row: a cell's XML after its reference (style, type, value) is
 * remembered as bytes per column for values that repeat (names, ids, dates, types), and
 * written directly for values that do not (a column whose values mostly miss stops
 * remembering). That keeps the garbage collector's work, and the heap it grows for it, small.
 *
 * @module
 */

import type { ChargeRow } from "../charges/model.ts";

/** Renders the part of a cell's XML after `<c r="A2"`: style, type, value, `</c>`; "" when empty. */
export type CellTail = (key: keyof ChargeRow, value: ChargeRow[keyof ChargeRow]) => string;

/** One Detail column as the encoder sees it. */
export interface EncodedColumn {
  /** The row field, or `undefined` for `coins_exact` (the coins as text). */
  key: keyof ChargeRow | undefined;
  /** The column letter(s). */
  letter: string;
}

/** Values a column remembers before it starts afresh. */
export const MEMO_SIZE = 1024;
/** Lookups after which a column that mostly misses stops remembering. */
const MEMO_TRIAL = 4096;
const INITIAL_BYTES = 256 * 1024;

/** Appends Detail rows as XML bytes; {@link RowEncoder.take} hands them out. */
export class RowEncoder {
  #buffer = new Uint8Array(INITIAL_BYTES);
  #used = 0;
  readonly #encoder = new TextEncoder();
  readonly #columns: {
    key: keyof ChargeRow | undefined;
    open: Uint8Array;
    memo: Map<unknown, Uint8Array> | undefined;
    lookups: number;
    hits: number;
  }[];
  readonly #tail: CellTail;
  readonly #exactTail: (coins: string) => string;

  /**
   * An encoder of rows with `columns`, whose cells `tail` and `exactTail` render.
   *
   * @param columns the columns in order
   * @param tail renders a cell of a charge column
   * @param exactTail renders the `coins_exact` cell
   */
  constructor(
    columns: readonly EncodedColumn[],
    tail: CellTail,
    exactTail: (coins: string) => string,
  ) {
    this.#columns = columns.map(({ key, letter }) => ({
      key,
      open: this.#encoder.encode(`<c r="${letter}`),
      memo: new Map(),
      lookups: 0,
      hits: 0,
    }));
    this.#tail = tail;
    this.#exactTail = exactTail;
  }

  /** Bytes waiting to be taken. */
  get byteLength(): number {
    return this.#used;
  }

  /** Appends row `rowNumber` (1-based) holding `charge`. */
  add(rowNumber: number, charge: ChargeRow): void {
    const digits = String(rowNumber);
    this.#ascii(`<row r="${digits}">`);
    // Ends a cell reference: `<c r="A` + `12"`.
    const ref = `${digits}"`;
    for (const column of this.#columns) {
      const value = column.key === undefined ? charge.coins : charge[column.key];
      if (value === "" || value === undefined || value === null) continue;
      const memo = column.memo;
      let bytes = memo?.get(value);
      if (memo) {
        column.lookups++;
        if (bytes !== undefined) column.hits++;
        else if (column.lookups === MEMO_TRIAL && column.hits * 2 < column.lookups) {
          column.memo = undefined;
        }
      }
      if (bytes === undefined) {
        const tail = column.key === undefined
          ? this.#exactTail(value as string)
          : this.#tail(column.key, value);
        if (tail === "") continue;
        if (column.memo) {
          if (column.memo.size >= MEMO_SIZE) column.memo.clear();
          bytes = this.#encoder.encode(tail);
          column.memo.set(value, bytes);
        } else {
          this.#bytes(column.open);
          this.#ascii(ref);
          this.#text(tail);
          continue;
        }
      }
      this.#bytes(column.open);
      this.#ascii(ref);
      this.#bytes(bytes);
    }
    this.#ascii("</row>");
  }

  /**
   * The bytes appended since the last call, as a view of the internal buffer: valid until the
   * next {@link RowEncoder.add} (copy or consume it at once).
   */
  take(): Uint8Array {
    const out = this.#buffer.subarray(0, this.#used);
    this.#used = 0;
    return out;
  }

  #room(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.#buffer.length * 2, this.#used + bytes));
    bigger.set(this.#buffer.subarray(0, this.#used));
    this.#buffer = bigger;
  }

  /** Appends text known to be ASCII. */
  #ascii(text: string): void {
    this.#room(text.length);
    const buffer = this.#buffer;
    let at = this.#used;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.#used = at;
  }

  #bytes(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  #text(text: string): void {
    this.#room(text.length * 3);
    this.#used += this.#encoder.encodeInto(text, this.#buffer.subarray(this.#used)).written;
  }
}
