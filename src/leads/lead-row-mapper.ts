import type { CountryCode } from 'libphonenumber-js/max';
import type { LeadColumns } from './csv/header-mapping';
import { normalizePhone } from './csv/phone-normalizer';
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

export type MapOutcome = MappedLead | 'blank' | 'rejected';

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

  constructor(
    columns: LeadColumns,
    header: string[],
    private readonly defaultCountry: CountryCode | undefined,
  ) {
    this.phoneIndex = columns.phone.index;
    this.phoneHeader = columns.phone.header;
    this.timezoneIndex = columns.timezoneIndex;
    this.timezoneHeader = columns.timezoneIndex >= 0 ? header[columns.timezoneIndex].trim() : '';
    this.variableIndexes = columns.variables.map((v) => v.index);
    this.jsonKeys = columns.variables.map((v) => `${JSON.stringify(v.key)}:`);
  }

  /** Hands each of the row's problems to `report`. */
  map(row: number, cells: string[], report: (e: RowError) => void): MapOutcome {
    if (isBlank(cells)) return 'blank';
    let rejected = false;
    const phone = normalizePhone(cells[this.phoneIndex] ?? '', this.defaultCountry);
    if (!phone.ok) {
      report({ row, column: this.phoneHeader, message: phone.message });
      rejected = true;
    }
    let timezone: string | null = null;
    if (this.timezoneIndex >= 0) {
      const given = (cells[this.timezoneIndex] ?? '').trim();
      if (given !== '') {
        timezone = canonicalTimeZone(given);
        if (timezone === null) {
          report({
            row,
            column: this.timezoneHeader,
            message: `${JSON.stringify(given)} is not an IANA time zone (such as Europe/Paris)`,
          });
          rejected = true;
        }
      }
    }
    if (rejected || !phone.ok) return 'rejected';
    let json = '{';
    for (let i = 0; i < this.variableIndexes.length; i++) {
      if (i > 0) json += ',';
      json += this.jsonKeys[i] + jsonString((cells[this.variableIndexes[i]] ?? '').trim());
    }
    return { row, phone: phone.e164, timezone, variables: `${json}}` };
  }
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
