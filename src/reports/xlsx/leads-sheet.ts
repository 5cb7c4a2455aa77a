import type { CellValue, ReportColumn } from '../report-columns';
import { cellXml, shownLength, textCell } from './cell-xml';
import { PAGE_MARGINS, SHEET_START, STYLE } from './package-parts';
import { columnLetters } from './xml-text';

/**
 * The XML of sheet "Leads", piece by piece: `head` (frozen header pane, column widths and
 * styles, the bold header row), then one `row` per lead, then `tail` (the auto-filter over
 * every row written).
 */
export class LeadsSheetXml {
  private readonly letters: string[];
  private readonly decimal: boolean[];
  private lastRow = 1;

  constructor(private readonly columns: ReportColumn[]) {
    this.letters = columns.map((_, i) => columnLetters(i));
    this.decimal = columns.map((c) => c.kind === 'number');
  }

  /** Everything up to the first lead; widths come from the header and `sample` (the first rows). */
  head(sample: CellValue[][]): string {
    const widths = columnWidths(this.columns, sample);
    const cols = widths
      .map((w, i) => {
        const style = this.decimal[i] ? ` style="${STYLE.decimal}"` : '';
        return `<col min="${i + 1}" max="${i + 1}" width="${w}"${style} customWidth="1"/>`;
      })
      .join('');
    const header = this.columns.map((c, i) => textCell(`${this.letters[i]}1`, c.header, true)).join('');
    return (
      SHEET_START +
      '<sheetViews><sheetView workbookViewId="0">' +
      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
      '</sheetView></sheetViews>' +
      '<sheetFormatPr defaultRowHeight="15"/>' +
      `<cols>${cols}</cols>` +
      '<sheetData>' +
      `<row r="1" s="${STYLE.bold}" customFormat="1">${header}</row>`
    );
  }

  /** The next lead's row. */
  row(cells: CellValue[]): string {
    const r = String(++this.lastRow);
    const { letters, decimal } = this;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < letters.length; i++) {
      const v = cells[i];
      if (v !== null && v !== undefined) xml += cellXml(letters[i] + r, v, decimal[i]);
    }
    return xml + '</row>';
  }

  tail(): string {
    const last = this.letters[this.letters.length - 1];
    return `</sheetData><autoFilter ref="A1:${last}${this.lastRow}"/>${PAGE_MARGINS}</worksheet>`;
  }
}

/** Widths from the header and the first rows' values, within 8..60 characters. */
function columnWidths(columns: ReportColumn[], sample: CellValue[][]): number[] {
  return columns.map((c, i) => {
    let width = c.header.length;
    for (const row of sample) width = Math.max(width, shownLength(row[i]));
    return Math.min(60, Math.max(8, width + 2));
  });
}
