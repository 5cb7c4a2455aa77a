import {
  type CountryCode,
  type MetadataJson,
  getCountries,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from './phone-library.mjs';
import maxMetadata from 'libphonenumber-js/max/metadata';
import { splitNumbers } from './phone-cells';

// The full metadata, as `libphonenumber-js/max` uses: validity per number type, not only length.
// (TypeScript reads the JSON itself, with plain strings where the library types country codes.)
const metadata = maxMetadata as unknown as MetadataJson;

/**
 * `extension`: the digits after `ext.`, `x`, `poste`… (not dialled, kept for the agent).
 * `others`: the other numbers of a cell that held several (E.164 when valid, else as written).
 */
export type PhoneResult =
  | { ok: true; e164: string; extension?: string; others?: string[] }
  | { ok: false; message: string };

/** ISO 3166 codes libphonenumber knows, for validating `default_country`. */
export const SUPPORTED_COUNTRIES: readonly string[] = getCountries(metadata);

export function isSupportedDefaultCountry(code: string): code is CountryCode {
  return isSupportedCountry(code as CountryCode, metadata);
}

const PLAIN = /^\+?\d+$/;
/** The common case, `06 12 34 56 78` or `06.12.34.56.78`: digits split by single separators. */
const SIMPLY_SEPARATED = /^\+?\d+(?:[ .-]\d+)+$/;
const SIMPLE_SEPARATORS = /[ .-]/g;
const EXCEL_TEXT_FORMULA = /^="(.*)"$/s;
const SCIENTIFIC = /^\+?(\d+)(?:[.,](\d+))?e\+?(\d+)$/i;
/**
 * A number column exported with decimals, as a spreadsheet's Number format writes it
 * (`612345678.0`, `612,345,678.00`, `612 345 678,00`): the digits are all there.
 */
const DECIMAL_EXPORT = /^(\+?\d{1,3}(?:[,\u00a0\u202f ]?\d{3}){2,4})[.,]0{1,2}$/;
const GROUPING = /[,\u00a0\u202f ]/g;
// Spaces of every kind (NBSP and U+202F come from French locales), dots, dashes, slashes, brackets.
const SEPARATORS = /[\s\u00a0\u2007\u202f.\-\u2010-\u2015/()[\]]/g;
const LETTERS = /\p{L}/u;
/** `+1 212 555 0123 ext. 204`, `x204`, `#204`, `poste 12`, `Durchwahl 3`: the number, then the extension. */
const EXTENSION =
  /^(.*\d[\s\u00a0.)-]*?)[\s\u00a0,;]*(?:ext\.?|extn\.?|extension|x|#|poste|p\.|dw\.?|durchwahl|ramal|int\.)\s*[:.]?\s*(\d{1,7})$/i;
/**
 * Digits that might be an international number whose `+` was lost (Excel and some CRMs drop
 * it): ten digits at least, so that a mistyped short national number is not read as a number
 * of some other country.
 */
const PLUS_LOST = /^[1-9]\d{9,14}$/;

/**
 * Reads a phone number as people and spreadsheets write it and returns it in E.164, or says why
 * it cannot be called. Understood: Excel's ways of keeping a leading `+` or `0` (`="+33…"`,
 * `=+33…`, `'+33…`), separators (spaces, dots, dashes, brackets, slashes), `(0)` after the
 * country code, `00` for `+`, national numbers in the default country (also without their
 * leading 0, as Excel drops it), international numbers whose `+` was lost (`33612345678`, when
 * the national reading is invalid), extensions (kept apart), and a cell holding several numbers
 * (`06… / 01…`, `+33… ::: +33…`: the first valid mobile, else the first valid one). Validity is
 * libphonenumber-js's full metadata (`/max`): the number must exist in its country's numbering
 * plan, not only have a plausible length.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): PhoneResult {
  const one = normalizeOne(raw, defaultCountry);
  if (one.ok) return one;
  // Only a cell that is not one number is read as several: the common case pays nothing.
  const parts = splitNumbers(raw);
  return parts ? pickOne(parts, defaultCountry, one) : one;
}

function normalizeOne(raw: string, defaultCountry: CountryCode | undefined): PhoneResult {
  let s = raw.trim();
  let extension: string | undefined;
  const plain = PLAIN.test(s);
  const decimal = plain ? null : DECIMAL_EXPORT.exec(s);
  if (decimal) s = decimal[1].replace(GROUPING, '');
  else if (!plain && SIMPLY_SEPARATED.test(s)) s = s.replace(SIMPLE_SEPARATORS, '');
  else if (!plain) {
    const ext = EXTENSION.exec(s);
    if (ext) {
      s = ext[1];
      extension = ext[2];
    }
    const cleaned = clean(s, raw);
    if (typeof cleaned !== 'string') return cleaned;
    s = cleaned;
  }
  if (s === '') return { ok: false, message: 'phone number is empty' };
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  const result = parse(raw, s, defaultCountry);
  if (!result.ok || extension === undefined) return result;
  return { ...result, extension };
}

function parse(raw: string, s: string, defaultCountry: CountryCode | undefined): PhoneResult {
  if (!s.startsWith('+') && !defaultCountry) {
    const international = withLostPlus(s);
    if (international) return { ok: true, e164: international };
    return {
      ok: false,
      message: `${quote(raw)} has no country code (+…) and neither the import nor the campaign has a default_country`,
    };
  }
  // The core functions with an options object: about a fifth cheaper per number than the
  // `/max` wrappers, which rebuild their arguments on every call (bench/import/RESULTS.md).
  const parsed = parsePhoneNumberFromString(s, optionsFor(defaultCountry), metadata);
  if (parsed?.isValid()) {
    if (parsed.ext) return { ok: true, e164: parsed.number, extension: parsed.ext };
    return { ok: true, e164: parsed.number };
  }
  const international = withLostPlus(s);
  if (international) return { ok: true, e164: international };
  return { ok: false, message: explainInvalid(quote(raw), s, defaultCountry, parsed?.country) };
}

/** `33612345678` read as `+33612345678`, when that is a valid number (else null). */
function withLostPlus(s: string): string | null {
  if (!PLUS_LOST.test(s)) return null;
  const parsed = parsePhoneNumberFromString(`+${s}`, optionsFor(undefined), metadata);
  return parsed?.isValid() ? parsed.number : null;
}

/** Of several numbers in a cell: the first valid mobile, else the first valid; the rest as `others`. */
function pickOne(
  parts: string[],
  defaultCountry: CountryCode | undefined,
  failure: PhoneResult,
): PhoneResult {
  const results = parts.map((p) => normalizeOne(p, defaultCountry));
  let chosen = -1;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (!r.ok) continue;
    if (chosen < 0) chosen = i;
    if (isMobile(r.e164)) {
      chosen = i;
      break;
    }
  }
  if (chosen < 0) return failure;
  const picked = results[chosen] as Extract<PhoneResult, { ok: true }>;
  const others = results.flatMap((r, i) => (i === chosen ? [] : [r.ok ? r.e164 : parts[i].trim()]));
  return { ...picked, others };
}

function isMobile(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164, optionsFor(undefined), metadata)?.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

const OPTIONS = new Map<CountryCode | undefined, { defaultCountry?: CountryCode }>();

/** One options object per default country, reused for every number. */
function optionsFor(country: CountryCode | undefined): { defaultCountry?: CountryCode } {
  let options = OPTIONS.get(country);
  if (!options) OPTIONS.set(country, (options = country ? { defaultCountry: country } : {}));
  return options;
}

/** `raw`: the cell as written, for messages. */
function clean(input: string, raw: string): string | PhoneResult {
  let s = input;
  const formula = EXCEL_TEXT_FORMULA.exec(s);
  if (formula) s = formula[1];
  s = s
    .replace(/^[='\t]+/, '')
    .replace(/^"+|"+$/g, '')
    .trim();
  const scientific = SCIENTIFIC.exec(s);
  if (scientific) {
    // `6.12345678E+08` shows every digit (612345678); `3.36123E+10` lost five of them.
    const digits = scientific[1] + (scientific[2] ?? '');
    if (digits.length === Number(scientific[3]) + 1) return digits;
    return {
      ok: false,
      message: `${quote(raw)} was turned into scientific notation by a spreadsheet and its last digits are lost; format the column as text and export again`,
    };
  }
  s = s.replace(/^(\+\d{1,3})\s*\(0\)/, '$1').replace(SEPARATORS, '');
  if (LETTERS.test(s)) {
    return { ok: false, message: `${quote(raw)} contains letters: not a phone number` };
  }
  return s;
}

/** The value as typed, quoted and cut short for messages. */
function quote(raw: string): string {
  const t = raw.trim();
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
}

/** `raw` is already quoted. */
function explainInvalid(
  raw: string,
  s: string,
  country: CountryCode | undefined,
  detected?: CountryCode,
): string {
  const where = detected ?? (s.startsWith('+') ? undefined : country);
  const forWhere = where ? ` for ${where}` : '';
  switch (validatePhoneNumberLength(s, optionsFor(country), metadata)) {
    case 'NOT_A_NUMBER':
      return `${raw} is not a phone number`;
    case 'INVALID_COUNTRY':
      return `${raw} does not start with a known country calling code`;
    case 'TOO_SHORT':
      return `${raw} is too short${forWhere}`;
    case 'TOO_LONG':
      return `${raw} is too long${forWhere}`;
    case 'INVALID_LENGTH':
      return `${raw} does not have a valid length${forWhere}`;
    default:
      return `${raw} is not a valid phone number${forWhere} (no such number range)`;
  }
}
