import { BadRequestException } from '@nestjs/common';
import { classifyPhoneHeader, labelStem, valueStem } from './phone-words';
import { toVariableKey } from './variable-key';

export interface PhoneColumn {
  index: number;
  header: string;
}

/** Best first: a mobile, then a phone that says nothing more, then a fixed line. */
const RANK = { mobile: 0, generic: 1, landline: 2 } as const;
export type PhoneRank = keyof typeof RANK;

export interface PhoneCandidate extends PhoneColumn {
  kind: PhoneRank;
  /** The column holding this number's type row by row (`Phone 1 - Label`), or -1. */
  labelIndex: number;
}

/** Which columns hold the number, in the order they are tried on each row. */
export interface PhonePlan {
  /** The column used when its cell is filled: what the answer calls `phone_column`. */
  primary: PhoneColumn;
  /** Every column tried, `primary` first; a row's number is the first filled one. */
  candidates: PhoneCandidate[];
  /** Why `primary` and the order, in words (`phone_column_reason`). */
  reason: string;
  /** Phone-like columns never dialled (fax, pager) and type labels: not variables either. */
  excluded: number[];
}

/** Headers named in one error message; the rest are counted. */
const LISTED = 10;

/**
 * Chooses the phone column of a file without a hint, as a user would: a column whose header (or
 * whose per-row label column) says mobile first, then a plain `Phone`, then fixed lines; never a
 * fax or a pager. When the first column is empty on a row the next one is used for that row.
 * Columns whose header holds a phone word next to words we cannot place (`Manager phone`) are
 * used only when nothing better exists; several such columns alone are undecidable (400).
 */
export function planPhoneColumns(header: string[], keys: string[], hint?: string): PhonePlan {
  if (hint !== undefined) return hinted(header, keys, hint);
  const kinds = keys.map((k) => (k === '' ? null : classifyPhoneHeader(k)));
  const labels = labelColumns(keys, kinds);
  const ranked: PhoneCandidate[] = [];
  const unknown: number[] = [];
  const excluded: number[] = [];
  kinds.forEach((kind, index) => {
    if (kind === 'never' || kind === 'label') excluded.push(index);
    else if (kind === 'unknown') unknown.push(index);
    else if (kind !== null && kind !== 'not_a_number') {
      const labelIndex = labels.get(valueStem(keys[index])) ?? -1;
      ranked.push({ index, header: header[index].trim(), kind, labelIndex });
    }
  });
  ranked.sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.index - b.index);
  if (ranked.length === 0 && unknown.length === 1) {
    const index = unknown[0];
    const only = { index, header: header[index].trim(), kind: 'generic' as const, labelIndex: -1 };
    return plan([only], excluded, header, 'the only column whose header names a phone');
  }
  if (ranked.length === 0 && unknown.length > 1) throw undecidable(header, unknown);
  if (ranked.length === 0) throw noPhoneColumn(header);
  return plan(ranked, excluded, header, explain(ranked));
}

function hinted(header: string[], keys: string[], hint: string): PhonePlan {
  let index = header.findIndex((h) => h.trim() === hint.trim());
  if (index < 0) index = keys.indexOf(toVariableKey(hint));
  if (index < 0) {
    throw new BadRequestException({
      message: `phone_column "${hint}" is not a column of this file. Columns seen: ${describeHeaders(header)}`,
      details: [{ field: 'phone_column', message: `no column named "${hint}"` }],
    });
  }
  const only = { index, header: header[index].trim(), kind: 'generic' as const, labelIndex: -1 };
  return plan([only], [], header, 'named by the phone_column parameter');
}

/** Label columns by the stem they describe: `phone_1_label` describes `phone_1(_value)`. */
function labelColumns(
  keys: string[],
  kinds: (ReturnType<typeof classifyPhoneHeader> | null)[],
): Map<string, number> {
  const labels = new Map<string, number>();
  kinds.forEach((kind, index) => {
    if (kind === 'label') labels.set(labelStem(keys[index]), index);
  });
  return labels;
}

function plan(
  candidates: PhoneCandidate[],
  excluded: number[],
  header: string[],
  reason: string,
): PhonePlan {
  const never = excluded.filter((i) => classifyPhoneHeader(toVariableKey(header[i])) === 'never');
  const suffix =
    never.length > 0
      ? `; never dialled: ${listed(never.map((i) => `"${header[i].trim()}"`)).join(', ')}`
      : '';
  return {
    primary: { index: candidates[0].index, header: candidates[0].header },
    candidates,
    reason: reason + suffix,
    excluded,
  };
}

function explain(ranked: PhoneCandidate[]): string {
  const [first, ...rest] = ranked;
  const labelled = ranked.some((c) => c.labelIndex >= 0);
  let why: string;
  if (labelled) why = 'its type column says, row by row, which number is the mobile';
  else if (rest.length === 0) why = 'the only phone column';
  else if (first.kind === 'mobile') why = 'its header says mobile';
  else if (first.kind === 'generic') why = 'no column says mobile; the first plain phone column';
  else why = 'no column says mobile; the first fixed-line column';
  if (rest.length === 0) return labelled ? `"${first.header}": ${why}` : why;
  const order = listed(rest.map((c) => `"${c.header}"`)).join(', ');
  return `"${first.header}": ${why}; on a row where it is empty, the next filled of ${order} (the lead's phone_source says which)`;
}

function undecidable(header: string[], indexes: number[]): BadRequestException {
  const names = listed(indexes.map((i) => `"${header[i].trim()}"`)).join(', ');
  return new BadRequestException({
    message:
      `Several columns could hold the phone number (${names}) and none says mobile or phone alone: ` +
      'name the one to use with the phone_column query parameter',
    details: [{ field: 'phone_column', message: `ambiguous phone column: one of ${names}` }],
  });
}

function noPhoneColumn(header: string[]): BadRequestException {
  return new BadRequestException({
    message:
      `No phone column found. Columns seen: ${describeHeaders(header)}. Name the phone column "phone" ` +
      '(or telephone, mobile, numéro…) or pass its header as the phone_column query parameter',
    details: [{ field: 'phone_column', message: 'no phone column' }],
  });
}

export function describeHeaders(header: string[]): string {
  const named = header.map((h) => h.trim()).filter(Boolean);
  return named.length > 0 ? listed(named.map((h) => `"${h}"`)).join(', ') : '(none)';
}

/** The first few items, then how many more: messages stay short whatever the file. */
export function listed(items: string[]): string[] {
  if (items.length <= LISTED) return items;
  return [...items.slice(0, LISTED), `${items.length - LISTED} more`];
}
