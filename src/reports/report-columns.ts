import { escapeLiteral } from 'pg';
import { roundOrNull } from '../common/numbers';
import { EVIDENCE_KEYS } from '../leads/consent-columns';

export type ColumnKind = 'phone' | 'text' | 'integer' | 'number' | 'boolean' | 'answer';

/** A typed cell value, before CSV or XLSX formatting. */
export type CellValue = string | number | boolean | unknown[] | Record<string, unknown> | null;

/**
 * One export column: its header, the SQL expression that reads it (the database extracts each
 * lead column and answer, so that the service never parses whole JSON documents per lead), and
 * how its COPY text turns back into a typed value.
 */
export interface ReportColumn {
  header: string;
  kind: ColumnKind;
  sql: string;
  decode: (text: string | null) => CellValue;
}

/** Multiple-choice answers in one cell, the way CRMs import multi-select fields (HubSpot, Salesforce). */
export const MULTI_VALUE_SEPARATOR = ';';

const text = (t: string | null): CellValue => t;
const integer = (t: string | null): CellValue => (t === null ? null : Number(t));
const decimals =
  (n: number) =>
  (t: string | null): CellValue =>
    t === null ? null : roundOrNull(Number(t), n);
const boolean = (t: string | null): CellValue => (t === null ? null : t === 't');

/** An answer comes as its jsonb text: `true`, `5`, `"Planity"`, `["Coupe","Barbe"]`, `null`. */
export function decodeAnswer(t: string | null): CellValue {
  if (t === null || t === 'null') return null;
  if (t === 'true') return true;
  if (t === 'false') return false;
  const first = t.charCodeAt(0);
  if (first === 0x22 /* " */ || first === 0x5b /* [ */ || first === 0x7b /* { */)
    return JSON.parse(t) as CellValue;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** `l.answers -> 'name'`: every other SQL text here is fixed; names are quoted as literals. */
const lit = (s: string) => escapeLiteral(s);

/**
 * The export's columns, in the contract's order: `phone, <the lead's own columns>, status,
 * attempts, last_call_id, last_call_status, duration_seconds, cost, <one per question>, qualified`,
 * then the calling-law columns `status_reason, contact_type, consent_at, consent_source`.
 * A lead column or question whose name is already taken gets `_2`, `_3`… so that every header is
 * unique and a CSV reader keyed by header loses nothing. SQL expressions refer to `l` (the lead)
 * and `c` (its call totals), as LEAD_ROW_FROM names them.
 */
export function reportColumns(variableKeys: string[], questionNames: string[]): ReportColumn[] {
  // The contract's own names are reserved first: they are never the renamed ones.
  const taken = new Set<string>(FIXED.map(([name]) => name));
  const unique = (name: string) => {
    let header = name;
    for (let i = 2; taken.has(header); i++) header = `${name}_${i}`;
    taken.add(header);
    return header;
  };
  const fixed = (name: string): ReportColumn => {
    const [, kind, sql, decode] = FIXED.find(([n]) => n === name) as FixedColumn;
    return { header: name, kind, sql, decode };
  };
  return [
    fixed('phone'),
    // The consent evidence is exported in its own columns, not twice.
    ...variableKeys.filter((key) => !(EVIDENCE_KEYS as readonly string[]).includes(key)).map((key) => ({
      header: unique(key),
      kind: 'text' as const,
      sql: `l.variables ->> ${lit(key)}`,
      decode: text,
    })),
    ...['status', 'attempts', 'last_call_id', 'last_call_status', 'duration_seconds', 'cost'].map(fixed),
    ...questionNames.map((name) => ({
      header: unique(name),
      kind: 'answer' as const,
      sql: `l.answers -> ${lit(name)}`,
      decode: decodeAnswer,
    })),
    fixed('qualified'),
    ...['status_reason', 'contact_type', 'consent_at', 'consent_source'].map(fixed),
  ];
}

type FixedColumn = [string, ColumnKind, string, ReportColumn['decode']];

const FIXED: FixedColumn[] = [
  ['phone', 'phone', 'l.phone', text],
  ['status', 'text', 'l.status', text],
  ['attempts', 'integer', 'l.attempts', integer],
  ['last_call_id', 'text', 'coalesce(l.last_call_id, c.last_call_id)', text],
  ['last_call_status', 'text', 'coalesce(l.last_call_status, c.last_call_status)', text],
  ['duration_seconds', 'number', 'c.duration_seconds', decimals(3)],
  ['cost', 'number', 'c.cost', decimals(6)],
  ['qualified', 'boolean', 'l.qualified', boolean],
  ['status_reason', 'text', 'l.status_reason', text],
  ['contact_type', 'text', 'l.contact_type', text],
  ['consent_at', 'text', `to_char(l.consent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`, text],
  ['consent_source', 'text', 'l.consent_source', text],
];
