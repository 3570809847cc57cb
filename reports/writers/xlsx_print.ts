/**
 * Page setup shared by every sheet of the charges workbook, so that a printed (or PDF) copy
 * reads well: landscape, fitted to one page wide (as many pages down as needed), the sheet's
 * heading rows repeated at the top of every page, the sheet name and "Page n of m" in the
 * footer, and a print area that covers exactly the written cells.
 *
 * The fit-to-page flag (`<sheetPr><pageSetUpPr fitToPage="1"/>`) is what makes Excel and
 * LibreOffice honour `fitToWidth`/`fitToHeight`; without it they print at 100 % and split
 * wide sheets across pages. exceljs's streaming writer writes that flag when the sheet is
 * created, so the setup must be given to `addWorksheet`, not set afterwards; the print area
 * and print titles, by contrast, go into the workbook's defined names at the very end and
 * can be set once the sheet's size is known ({@link setPrintArea}).
 *
 * @module
 */

import type { HeaderFooter, PageSetup, Worksheet } from "exceljs";
import { columnLetter } from "./xlsx_cells.ts";

/**
 * The page setup of a sheet whose rows `1` to `titleRows` are repeated on every printed page
 * (none when `titleRows` is 0).
 */
export function printPageSetup(titleRows: number): Partial<PageSetup> {
  return {
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    // 0: as many pages down as the rows need.
    fitToHeight: 0,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(titleRows > 0 ? { printTitlesRow: `1:${titleRows}` } : {}),
  };
}

/** Footer of every sheet: the sheet name on the left, "Page n of m" on the right. */
export const PRINT_HEADER_FOOTER: Partial<HeaderFooter> = {
  oddFooter: "&L&A&RPage &P of &N",
};

/**
 * Sets the print area of `sheet` to columns A to `columns` and rows 1 to `rows` (at least
 * one row). Call before the workbook is committed.
 */
export function setPrintArea(sheet: Worksheet, columns: number, rows: number): void {
  sheet.pageSetup.printArea = printAreaRange(columns, rows);
}

/**
 * The print area `A$1:X$n` of `columns` columns and `rows` rows (at least one). exceljs
 * prefixes each end with `$` when it writes the defined name, so the result is absolute,
 * `$A$1:$X$n`, as Excel expects of a print area.
 */
export function printAreaRange(columns: number, rows: number): string {
  return `A$1:${columnLetter(Math.max(1, columns))}$${Math.max(1, rows)}`;
}
