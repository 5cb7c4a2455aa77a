import type { CountryCode } from 'libphonenumber-js/max';
import type { LeadColumns } from './csv/header-mapping';
import type { PhoneCandidate, PhoneRank } from './csv/phone-columns';
import { normalizePhone } from './csv/phone-normalizer';
import { classifyPhoneLabel } from './csv/phone-words';
import { canonicalTimeZone } from './csv/time-zone';
import { toVariableKey } from './csv/variable-key';
import { EVIDENCE_KEYS, type EvidenceKey, normaliseEvidence } from './consent-columns';

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

/** Variables the import adds to a lead beside the file's columns (a file column of that name wins). */
export const DERIVED_VARIABLES = {
  /** The header of the column the number came from, in a file with several phone columns. */
  source: 'phone_source',
  /** The other numbers of a cell that held several. */
  others: 'other_phones',
  /** An extension written after the number (`ext. 204`): not dialled. */
  extension: 'phone_extension',
} as const;

const RANK: Record<PhoneRank, number> = { mobile: 0, generic: 1, landline: 2 };

/**
 * Turns one CSV record into a lead, or into row errors. A record whose cells are all empty is a
 * blank row: it keeps its number but is neither a lead nor an error. Missing cells (ragged rows)
 * read as empty; cells past the last named column are ignored. Values are trimmed and kept as
 * text, never evaluated.
 *
 * The number is the first filled cell of the phone columns in their order (see
 * planPhoneColumns); a per-row type label (`Mobile`, `Work Fax`) reorders them for its row.
 */
export class LeadRowMapper {
  private readonly candidates: PhoneCandidate[];
  private readonly labelled: boolean;
  private readonly phoneHeader: string;
  private readonly timezoneIndex: number;
  private readonly timezoneHeader: string;
  private readonly variableIndexes: number[];
  /** For each variable, the evidence key it is (consent_at, contact_type…), or null. */
  private readonly evidence: (EvidenceKey | null)[];
  private readonly variableHeaders: string[];
  /** The file has a consent or contact-type column: the import copies them into the lead's columns. */
  readonly hasEvidence: boolean;
  /** `"key":` for each variable, so that a row's JSON is built by concatenation. */
  private readonly jsonKeys: string[];
  private readonly derived: { source: boolean; others: boolean; extension: boolean };
  private readonly labelKinds = new Map<string, ReturnType<typeof classifyPhoneLabel>>();
  /** Derived variables some lead has received, for the import's list of variable keys. */
  readonly seen = new Set<string>();

  constructor(
    columns: LeadColumns,
    header: string[],
    private readonly defaultCountry: CountryCode | undefined,
  ) {
    this.candidates = columns.phone.candidates;
    this.labelled = this.candidates.some((c) => c.labelIndex >= 0);
    this.phoneHeader = columns.phone.primary.header;
    this.timezoneIndex = columns.timezoneIndex;
    this.timezoneHeader = columns.timezoneIndex >= 0 ? header[columns.timezoneIndex].trim() : '';
    this.variableIndexes = columns.variables.map((v) => v.index);
    this.evidence = columns.variables.map((v) =>
      (EVIDENCE_KEYS as readonly string[]).includes(v.key) ? (v.key as EvidenceKey) : null,
    );
    this.variableHeaders = columns.variables.map((v) => header[v.index]?.trim() ?? v.key);
    this.hasEvidence = this.evidence.some((e) => e !== null);
    this.jsonKeys = columns.variables.map((v) => `${JSON.stringify(v.key)}:`);
    const fileKeys = new Set(columns.variables.map((v) => v.key));
    this.derived = {
      source: this.candidates.length > 1 && !fileKeys.has(DERIVED_VARIABLES.source),
      others: !fileKeys.has(DERIVED_VARIABLES.others),
      extension: !fileKeys.has(DERIVED_VARIABLES.extension),
    };
  }

  /** Hands each of the row's problems to `report`. */
  map(row: number, cells: string[], report: (e: RowError) => void): MapOutcome {
    if (isBlank(cells)) return 'blank';
    let rejected = false;
    const source = this.candidates.length === 1 ? this.candidates[0] : this.pickColumn(cells);
    const phone = source
      ? normalizePhone(cells[source.index] ?? '', this.defaultCountry)
      : ({ ok: false, message: this.noNumberMessage() } as const);
    if (!phone.ok) {
      report({ row, column: source?.header ?? this.phoneHeader, message: phone.message });
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
    const values = this.variableIndexes.map((index) => (cells[index] ?? '').trim());
    if (this.hasEvidence) {
      for (let i = 0; i < values.length; i++) {
        const key = this.evidence[i];
        if (key === null) continue;
        const checked = normaliseEvidence(key, values[i]);
        if ('error' in checked) {
          report({ row, column: this.variableHeaders[i], message: checked.error });
          rejected = true;
        } else values[i] = checked.value;
      }
    }
    if (rejected || !phone.ok) return 'rejected';
    let json = '{';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) json += ',';
      json += this.jsonKeys[i] + jsonString(values[i]);
    }
    if (this.derived.source)
      json = this.addVariable(json, DERIVED_VARIABLES.source, source!.header);
    if (phone.others && this.derived.others) {
      json = this.addVariable(json, DERIVED_VARIABLES.others, phone.others.join(', '));
    }
    if (phone.extension && this.derived.extension) {
      json = this.addVariable(json, DERIVED_VARIABLES.extension, phone.extension);
    }
    return { row, phone: phone.e164, timezone, variables: `${json}}` };
  }

  private addVariable(json: string, key: string, value: string): string {
    this.seen.add(key);
    return `${json}${json.length > 1 ? ',' : ''}${JSON.stringify(key)}:${jsonString(value)}`;
  }

  /** The first filled phone column of the row, in the plan's order or the row's labels' order. */
  private pickColumn(cells: string[]): PhoneCandidate | null {
    if (!this.labelled) {
      for (const c of this.candidates) if (isFilled(cells[c.index])) return c;
      return null;
    }
    let best: PhoneCandidate | null = null;
    let bestRank = Infinity;
    for (const c of this.candidates) {
      if (!isFilled(cells[c.index])) continue;
      const rank = c.labelIndex >= 0 ? this.labelRank(cells[c.labelIndex]) : RANK[c.kind];
      // Strictly better only: among equals, the plan's order (file order) wins.
      if (rank < bestRank) {
        best = c;
        bestRank = rank;
      }
    }
    return best;
  }

  /** A label's rank; a label that says fax or pager puts its number out of reach. */
  private labelRank(label: string | undefined): number {
    const text = (label ?? '').trim();
    let kind = this.labelKinds.get(text);
    if (kind === undefined) {
      kind = classifyPhoneLabel(toVariableKey(text));
      if (this.labelKinds.size < 1000) this.labelKinds.set(text, kind);
    }
    return kind === 'never' ? Infinity : RANK[kind];
  }

  private noNumberMessage(): string {
    const names = this.candidates.map((c) => `"${c.header}"`).join(', ');
    return `no phone number in ${names}`;
  }
}

function isFilled(cell: string | undefined): boolean {
  return cell !== undefined && cell.trim() !== '';
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
