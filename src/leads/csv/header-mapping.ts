import { BadRequestException } from '@nestjs/common';
import { MAX_COLUMNS, tooManyColumns } from './column-limit';

/**
 * A header as a variable key: accents folded, camelCase split, lower case, every run of other
 * characters one underscore. `Prénom` → `prenom`, `Nom de l'entreprise` → `nom_de_l_entreprise`,
 * `firstName` → `first_name`, `N° client` → `n_client`.
 */
export function toVariableKey(header: string): string {
  return header
    .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE'))
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/** Headers that name the phone column, as variable keys, most specific first. */
export const PHONE_HEADERS = [
  'phone',
  'phone_number',
  'telephone',
  'telephone_number',
  'numero_de_telephone',
  'numero_telephone',
  'n_de_telephone',
  'n_telephone',
  'tel',
  'num_tel',
  'mobile',
  'mobile_number',
  'mobile_phone',
  'telephone_mobile',
  'telephone_portable',
  'tel_portable',
  'portable',
  'numero',
  'numero_portable',
  'to_number',
  'number',
  'phone_no',
  'tel_no',
  'cell',
  'cell_phone',
  'cellphone',
  'gsm',
  'msisdn',
  'telefon',
  'telefonnummer',
  'handy',
  'handynummer',
  'telefono',
  'numero_de_telefono',
  'movil',
  'celular',
  'telemovel',
  'telefoon',
  'telefoonnummer',
  'contact_number',
];

/** Words that, inside a longer header, say it holds a phone number (used when no exact name matches). */
const PHONE_WORDS = new Set([
  'phone',
  'telephone',
  'tel',
  'mobile',
  'portable',
  'telefon',
  'telefono',
  'cell',
  'gsm',
]);

const TIMEZONE_HEADERS = ['timezone', 'time_zone', 'tz', 'fuseau_horaire'];

/** Headers and clashes named in one error message; the rest are counted. */
const LISTED = 10;

export interface PhoneColumn {
  index: number;
  header: string;
}

/**
 * Finds the phone column: the one named by `phoneColumn` (exactly, or ignoring case, accents and
 * punctuation), else the first header of PHONE_HEADERS present, else the only header containing
 * a phone word. Throws 400 listing the headers seen when none (or several equally) qualify.
 */
export function findPhoneColumn(header: string[], phoneColumn?: string): PhoneColumn {
  if (header.length > MAX_COLUMNS) throw tooManyColumns(header.length);
  const keys = header.map(toVariableKey);
  const seen = describeHeaders(header);
  if (phoneColumn !== undefined) {
    let index = header.findIndex((h) => h.trim() === phoneColumn.trim());
    if (index < 0) index = keys.indexOf(toVariableKey(phoneColumn));
    if (index < 0) {
      throw new BadRequestException({
        message: `phone_column "${phoneColumn}" is not a column of this file. Columns seen: ${seen}`,
        details: [{ field: 'phone_column', message: `no column named "${phoneColumn}"` }],
      });
    }
    return { index, header: header[index].trim() };
  }
  for (const candidate of PHONE_HEADERS) {
    const index = keys.indexOf(candidate);
    if (index >= 0) return { index, header: header[index].trim() };
  }
  const loose = keys.flatMap((k, i) => (k.split('_').some((w) => PHONE_WORDS.has(w)) ? [i] : []));
  if (loose.length === 1) return { index: loose[0], header: header[loose[0]].trim() };
  if (loose.length > 1) {
    throw new BadRequestException({
      message:
        `Several columns could hold the phone number (${listed(loose.map((i) => `"${header[i].trim()}"`)).join(', ')}): ` +
        'name the one to use with the phone_column query parameter',
      details: [{ field: 'phone_column', message: 'ambiguous phone column' }],
    });
  }
  throw new BadRequestException({
    message:
      `No phone column found. Columns seen: ${seen}. Name the phone column "phone" ` +
      '(or telephone, mobile, numéro…) or pass its header as the phone_column query parameter',
    details: [{ field: 'phone_column', message: 'no phone column' }],
  });
}

export interface LeadColumns {
  phone: PhoneColumn;
  /** Index of the optional `timezone` column, or -1. */
  timezoneIndex: number;
  /** Every other column that has a header: its index and variable key, in file order. */
  variables: { index: number; key: string; header: string }[];
}

/**
 * How a lead file's columns are used. Columns with an empty header are ignored (Excel leaves
 * such columns after trailing delimiters). Two headers giving one key → 400: a variable must
 * not silently take one column's value over another's.
 */
export function planLeadColumns(header: string[], phoneColumn?: string): LeadColumns {
  const phone = findPhoneColumn(header, phoneColumn);
  const keys = header.map(toVariableKey);
  let timezoneIndex = -1;
  for (const name of TIMEZONE_HEADERS) {
    const i = keys.indexOf(name);
    if (i >= 0 && i !== phone.index) {
      timezoneIndex = i;
      break;
    }
  }
  const variables: LeadColumns['variables'] = [];
  const byKey = new Map<string, number[]>();
  header.forEach((h, index) => {
    if (index === phone.index || index === timezoneIndex || h.trim() === '') return;
    const key = keys[index] || `column_${index + 1}`;
    variables.push({ index, key, header: h.trim() });
    const same = byKey.get(key);
    if (same) same.push(index);
    else byKey.set(key, [index]);
  });
  const clashes = [...byKey].filter(([, indexes]) => indexes.length > 1);
  if (clashes.length > 0) {
    const details = clashes.slice(0, LISTED).map(([key, indexes]) => ({
      field: key,
      message: `columns ${listed(indexes.map((i) => `"${header[i].trim()}"`)).join(' and ')} all become the variable "${key}"`,
    }));
    throw new BadRequestException({
      message: `Two columns map to the same variable: ${details.map((d) => d.message).join('; ')}. Rename one of them`,
      details,
    });
  }
  return { phone, timezoneIndex, variables };
}

function describeHeaders(header: string[]): string {
  const named = header.map((h) => h.trim()).filter(Boolean);
  return named.length > 0 ? listed(named.map((h) => `"${h}"`)).join(', ') : '(none)';
}

/** The first few items, then how many more: messages stay short whatever the file. */
function listed(items: string[]): string[] {
  if (items.length <= LISTED) return items;
  return [...items.slice(0, LISTED), `${items.length - LISTED} more`];
}
