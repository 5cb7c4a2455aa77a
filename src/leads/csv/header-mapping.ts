import { BadRequestException } from '@nestjs/common';
import { MAX_COLUMNS, tooManyColumns } from './column-limit';
import { listed, type PhoneColumn, type PhonePlan, planPhoneColumns } from './phone-columns';
import { toVariableKey } from './variable-key';

export { toVariableKey };
export type { PhoneColumn };

const TIMEZONE_HEADERS = ['timezone', 'time_zone', 'tz', 'fuseau_horaire'];
/** The first column of an errors.csv (GET …/errors.csv): dropped when that file is uploaded again. */
export const ERROR_COLUMN = 'error';

/** `{"<header>": "<variable>" | null}`: renames a column's variable, or drops the column. */
export type ColumnMapping = Record<string, string | null>;

/** Mapping targets that are not variables: the phone column and the time-zone column. */
const PHONE_TARGET = 'phone';
const TIMEZONE_TARGET = 'timezone';

/**
 * Finds the phone column (the first tried on each row): see planPhoneColumns. Throws 400 listing
 * the headers seen when none qualifies.
 */
export function findPhoneColumn(header: string[], phoneColumn?: string): PhoneColumn {
  if (header.length > MAX_COLUMNS) throw tooManyColumns(header.length);
  return planPhoneColumns(header, header.map(toVariableKey), phoneColumn).primary;
}

export interface LeadColumns {
  phone: PhonePlan;
  /** Index of the optional `timezone` column, or -1. */
  timezoneIndex: number;
  /** Every other column that has a header: its index and variable key, in file order. */
  variables: { index: number; key: string; header: string }[];
}

export interface ColumnOptions {
  phoneColumn?: string;
  mapping?: ColumnMapping;
}

/**
 * How a lead file's columns are used. Columns with an empty header are ignored (Excel leaves
 * such columns after trailing delimiters), and so is a first column `error` (an errors.csv sent
 * back). A mapping renames columns (`"Société": "entreprise"`), drops them (`null`), or names the
 * phone or time-zone column (`"phone"`, `"timezone"`); a column it names is used only as it says.
 * Two columns giving one key → 400: a variable must not silently take one column's value over
 * another's.
 */
export function planLeadColumns(header: string[], options: ColumnOptions = {}): LeadColumns {
  if (header.length > MAX_COLUMNS) throw tooManyColumns(header.length);
  // Each header's key, computed once (a header may have up to MAX_COLUMNS cells).
  const headerKeys = header.map(toVariableKey);
  const mapped = resolveMapping(header, headerKeys, options.mapping ?? {});
  const phoneColumn = phoneHint(header, mapped, options.phoneColumn);
  // Columns the mapping names are never guessed to be phone columns.
  const keys =
    mapped.size === 0 ? [...headerKeys] : headerKeys.map((k, i) => (mapped.has(i) ? '' : k));
  if (phoneColumn === undefined && header.length > 1 && isErrorColumn(header)) keys[0] = '';
  const phone = planPhoneColumns(header, keys, phoneColumn);
  const timezoneIndex = findTimezone(keys, mapped, phone.primary.index);
  const variables: LeadColumns['variables'] = [];
  const byKey = new Map<string, number[]>();
  header.forEach((h, index) => {
    if (index === phone.primary.index || index === timezoneIndex || h.trim() === '') return;
    if (index === 0 && isErrorColumn(header)) return;
    const target = mapped.get(index);
    if (target === null || target === PHONE_TARGET || target === TIMEZONE_TARGET) return;
    const key = target ?? (headerKeys[index] || `column_${index + 1}`);
    variables.push({ index, key, header: h.trim() });
    const same = byKey.get(key);
    if (same) same.push(index);
    else byKey.set(key, [index]);
  });
  rejectClashes(header, byKey);
  return { phone, timezoneIndex, variables };
}

function isErrorColumn(header: string[]): boolean {
  return header[0]?.trim().toLowerCase() === ERROR_COLUMN;
}

/** The mapping by column index; 400 naming the headers it gives that the file does not have. */
function resolveMapping(
  header: string[],
  keys: string[],
  mapping: ColumnMapping,
): Map<number, string | null> {
  const byIndex = new Map<number, string | null>();
  const unknown: string[] = [];
  const badTargets: string[] = [];
  for (const [name, target] of Object.entries(mapping)) {
    let index = header.findIndex((h) => h.trim() === name.trim());
    if (index < 0 && toVariableKey(name) !== '') index = keys.indexOf(toVariableKey(name));
    if (index < 0) {
      unknown.push(`"${name}"`);
      continue;
    }
    const key = target === null ? null : toVariableKey(target);
    if (key === '') badTargets.push(`"${name}"`);
    byIndex.set(index, key);
  }
  if (unknown.length > 0) {
    throw new BadRequestException({
      message: `mapping names columns this file does not have: ${listed(unknown).join(', ')}. Columns seen: ${listed(header.map((h) => `"${h.trim()}"`)).join(', ')}`,
      details: unknown.map((u) => ({ field: 'mapping', message: `no column named ${u}` })),
    });
  }
  if (badTargets.length > 0) {
    throw new BadRequestException({
      message: `mapping gives no usable variable name for ${listed(badTargets).join(', ')}: use letters, digits and _ (or null to drop the column)`,
      details: badTargets.map((b) => ({ field: 'mapping', message: `empty variable for ${b}` })),
    });
  }
  return byIndex;
}

/** `phone_column`, or the column the mapping sends to `phone` (both: they must agree). */
function phoneHint(
  header: string[],
  mapped: Map<number, string | null>,
  phoneColumn: string | undefined,
): string | undefined {
  const toPhone = [...mapped].filter(([, t]) => t === PHONE_TARGET).map(([i]) => i);
  if (toPhone.length > 1) {
    throw new BadRequestException({
      message: `mapping sends several columns to "phone" (${toPhone.map((i) => `"${header[i].trim()}"`).join(', ')}): name one`,
      details: [{ field: 'mapping', message: 'several phone columns' }],
    });
  }
  if (toPhone.length === 0) return phoneColumn;
  const mappedHeader = header[toPhone[0]].trim();
  if (phoneColumn !== undefined && toVariableKey(phoneColumn) !== toVariableKey(mappedHeader)) {
    throw new BadRequestException({
      message: `phone_column "${phoneColumn}" and the mapping's phone column "${mappedHeader}" disagree`,
      details: [{ field: 'mapping', message: 'phone column named twice' }],
    });
  }
  return mappedHeader;
}

function findTimezone(keys: string[], mapped: Map<number, string | null>, phone: number): number {
  for (const [index, target] of mapped) if (target === TIMEZONE_TARGET) return index;
  for (const name of TIMEZONE_HEADERS) {
    const i = keys.indexOf(name);
    if (i >= 0 && i !== phone) return i;
  }
  return -1;
}

function rejectClashes(header: string[], byKey: Map<string, number[]>): void {
  const clashes = [...byKey].filter(([, indexes]) => indexes.length > 1);
  if (clashes.length === 0) return;
  const details = clashes.slice(0, 10).map(([key, indexes]) => ({
    field: key,
    message: `columns ${listed(indexes.map((i) => `"${header[i].trim()}"`)).join(' and ')} all become the variable "${key}"`,
  }));
  throw new BadRequestException({
    message: `Two columns map to the same variable: ${details.map((d) => d.message).join('; ')}. Rename one of them`,
    details,
  });
}
