import {
  type CountryCode,
  type MetadataJson,
  getCountries,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from './phone-library.mjs';
import maxMetadata from 'libphonenumber-js/max/metadata';

// The full metadata, as `libphonenumber-js/max` uses: validity per number type, not only length.
// (TypeScript reads the JSON itself, with plain strings where the library types country codes.)
const metadata = maxMetadata as unknown as MetadataJson;

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

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
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e\+?\d+$/i;
// Spaces of every kind (NBSP and U+202F come from French locales), dots, dashes, slashes, brackets.
const SEPARATORS = /[\s\u00a0\u2007\u202f.\-\u2010-\u2015/()[\]]/g;
const LETTERS = /\p{L}/u;

/**
 * Reads a phone number as people and spreadsheets write it and returns it in E.164, or says why
 * it cannot be called. Understood: Excel's ways of keeping a leading `+` or `0` (`="+33…"`,
 * `=+33…`, `'+33…`), separators (spaces, dots, dashes, brackets, slashes), `(0)` after the
 * country code, `00` for `+`, national numbers in the default country (also without their
 * leading 0, as Excel drops it). Validity is libphonenumber-js's full metadata (`/max`): the
 * number must exist in its country's numbering plan, not only have a plausible length.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): PhoneResult {
  let s = raw.trim();
  if (SIMPLY_SEPARATED.test(s)) s = s.replace(SIMPLE_SEPARATORS, '');
  else if (!PLAIN.test(s)) {
    const cleaned = clean(s);
    if (typeof cleaned !== 'string') return cleaned;
    s = cleaned;
  }
  if (s === '') return { ok: false, message: 'phone number is empty' };
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+') && !defaultCountry) {
    return {
      ok: false,
      message: `${quote(raw)} has no country code (+…) and neither the import nor the campaign has a default_country`,
    };
  }
  // The core functions with an options object: about a fifth cheaper per number than the
  // `/max` wrappers, which rebuild their arguments on every call (bench/import/RESULTS.md).
  const parsed = parsePhoneNumberFromString(s, optionsFor(defaultCountry), metadata);
  if (parsed?.isValid()) {
    if (parsed.ext)
      return { ok: false, message: `${quote(raw)} has an extension, which cannot be dialled` };
    return { ok: true, e164: parsed.number };
  }
  return { ok: false, message: explainInvalid(quote(raw), s, defaultCountry, parsed?.country) };
}

const OPTIONS = new Map<CountryCode | undefined, { defaultCountry?: CountryCode }>();

/** One options object per default country, reused for every number. */
function optionsFor(country: CountryCode | undefined): { defaultCountry?: CountryCode } {
  let options = OPTIONS.get(country);
  if (!options) OPTIONS.set(country, (options = country ? { defaultCountry: country } : {}));
  return options;
}

function clean(input: string): string | PhoneResult {
  let s = input;
  const formula = EXCEL_TEXT_FORMULA.exec(s);
  if (formula) s = formula[1];
  s = s
    .replace(/^[='\t]+/, '')
    .replace(/^"+|"+$/g, '')
    .trim();
  if (SCIENTIFIC.test(s)) {
    return {
      ok: false,
      message: `${quote(input)} was turned into scientific notation by a spreadsheet and its last digits are lost; format the column as text and export again`,
    };
  }
  s = s.replace(/^(\+\d{1,3})\s*\(0\)/, '$1').replace(SEPARATORS, '');
  if (LETTERS.test(s) && !/^\+?\d+(?:ext\.?|x|#)\d+$/i.test(s)) {
    return { ok: false, message: `${quote(input)} contains letters: not a phone number` };
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
