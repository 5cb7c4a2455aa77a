import { startsFormula } from '../../common/cell-safety';
import { MULTI_VALUE_SEPARATOR } from '../report-columns';
import { STYLE } from './package-parts';
import { keepsSpace, xmlText } from './xml-text';

/** What a workbook cell can hold; arrays are multiple-choice answers. */
export type XlsxValue = string | number | boolean | Date | unknown[] | Record<string, unknown> | null | undefined;

const styleAttr = (s: number) => (s === STYLE.normal ? '' : ` s="${s}"`);
const NUMBER_STYLE = [styleAttr(STYLE.normal), styleAttr(STYLE.decimal)];

/** Days since 1899-12-30, the 1900 date system's serial number (a UTC time of day as its fraction). */
export const excelSerial = (d: Date) => d.getTime() / 86_400_000 + 25_569;

/** Whether a text would start a formula (the common first characters decided without a regexp). */
function formulaLike(text: string): boolean {
  const c = text.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x7a) || Number.isNaN(c)) return false;
  return startsFormula(text);
}

/**
 * An inline-string cell (`t="inlineStr"`: no shared-strings table to hold in memory). A text that
 * starts like a formula is still only text here: it gets the quote-prefix style, never an added
 * apostrophe, so that it reads as the lead wrote it and stays text if someone retypes it.
 */
export function textCell(ref: string, text: string, bold = false): string {
  const quoted = formulaLike(text);
  const s = bold ? (quoted ? STYLE.boldQuoted : STYLE.bold) : quoted ? STYLE.quoted : STYLE.normal;
  const t = keepsSpace(text) ? '<t xml:space="preserve">' : '<t>';
  return `<c r="${ref}"${styleAttr(s)} t="inlineStr"><is>${t}${xmlText(text)}</t></is></c>`;
}

/**
 * One typed cell, or '' for an empty one (nothing written: the column's style covers it).
 * `decimal` gives numbers the Leads sheet's number format.
 */
export function cellXml(ref: string, value: XlsxValue, decimal = false, bold = false): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) return textCell(ref, String(value), bold);
      return `<c r="${ref}"${bold ? styleAttr(STYLE.bold) : NUMBER_STYLE[decimal ? 1 : 0]}><v>${value}</v></c>`;
    case 'string':
      return textCell(ref, value, bold);
    case 'boolean':
      return `<c r="${ref}"${bold ? styleAttr(STYLE.bold) : ''} t="b"><v>${value ? 1 : 0}</v></c>`;
  }
  if (value instanceof Date)
    return `<c r="${ref}"${styleAttr(STYLE.date)}><v>${excelSerial(value)}</v></c>`;
  if (Array.isArray(value)) return textCell(ref, value.map(String).join(MULTI_VALUE_SEPARATOR), bold);
  return textCell(ref, JSON.stringify(value), bold);
}

/** A fraction shown as a percentage (summary rates). */
export function percentCell(ref: string, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  return `<c r="${ref}"${styleAttr(STYLE.percent)}><v>${value}</v></c>`;
}

/** The text a cell shows, for column widths. */
export function shownLength(value: XlsxValue): number {
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return 19;
  if (Array.isArray(value)) return value.map(String).join(MULTI_VALUE_SEPARATOR).length;
  return typeof value === 'object' ? JSON.stringify(value).length : String(value).length;
}
