import type { LeadColumns } from './csv/header-mapping';
import type { PhoneResult } from './csv/phone-normalizer';
import { canonicalTimeZone } from './csv/time-zone';

/** A row that can become a lead; `variables` is already JSON, ready for the batch insert. */
export interface MappedLead {
  row: number;
  phone: string;
  timezone: string | null;
  variables: string;
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

/**
 * Turns one CSV record into a lead, or into row errors. A record whose cells are all empty is a
 * blank row: it keeps its number but is neither a lead nor an error. Missing cells (ragged rows)
 * read as empty; cells past the last named column are ignored. Values are trimmed and kept as
 * text, never evaluated.
 */
export class LeadRowMapper {
  private readonly phoneIndex: number;
  private readonly phoneHeader: string;
  private readonly timezoneIndex: number;
  private readonly timezoneHeader: string;
  private readonly variableIndexes: number[];
  /** `"key":` for each variable, so that a row's JSON is built by concatenation. */
  private readonly jsonKeys: string[];

  constructor(columns: LeadColumns, header: string[]) {
    this.phoneIndex = columns.phone.index;
    this.phoneHeader = columns.phone.header;
    this.timezoneIndex = columns.timezoneIndex;
    this.timezoneHeader = columns.timezoneIndex >= 0 ? header[columns.timezoneIndex].trim() : '';
    this.variableIndexes = columns.variables.map((v) => v.index);
    this.jsonKeys = columns.variables.map((v) => `${JSON.stringify(v.key)}:`);
  }

  /**
   * The row's own work, before its number is validated (which PhoneValidator does, batch by
   * batch, on another thread): blank or not, the zone, the variables as JSON.
   */
  prepare(row: number, cells: string[]): PreparedRow | 'blank' {
    if (isBlank(cells)) return 'blank';
    let timezone: string | null = null;
    let timezoneError: string | null = null;
    if (this.timezoneIndex >= 0) {
      const given = (cells[this.timezoneIndex] ?? '').trim();
      if (given !== '') {
        timezone = canonicalTimeZone(given);
        if (timezone === null) {
          timezoneError = `${JSON.stringify(given)} is not an IANA time zone (such as Europe/Paris)`;
        }
      }
    }
    let json = '{';
    for (let i = 0; i < this.variableIndexes.length; i++) {
      if (i > 0) json += ',';
      json += this.jsonKeys[i] + jsonString((cells[this.variableIndexes[i]] ?? '').trim());
    }
    return {
      row,
      phoneCell: cells[this.phoneIndex] ?? '',
      timezone,
      timezoneError,
      variables: `${json}}`,
    };
  }

  /** The lead, once its number is validated; hands each of the row's problems to `report`. */
  finish(
    prepared: PreparedRow,
    phone: PhoneResult,
    report: (e: RowError) => void,
  ): MappedLead | 'rejected' {
    const { row, timezone, timezoneError, variables } = prepared;
    if (!phone.ok) report({ row, column: this.phoneHeader, message: phone.message });
    if (timezoneError) report({ row, column: this.timezoneHeader, message: timezoneError });
    if (!phone.ok || timezoneError) return 'rejected';
    return { row, phone: phone.e164, timezone, variables };
  }
}

/** A row before its number is validated. */
export interface PreparedRow {
  row: number;
  phoneCell: string;
  timezone: string | null;
  timezoneError: string | null;
  variables: string;
}

/** Characters JSON must escape, and lone surrogates (which JSON.stringify escapes too). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal; most cells need no escaping, and quoting them is cheaper than stringify. */
function jsonString(value: string): string {
  return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}
