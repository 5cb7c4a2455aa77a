import { describe, expect, it } from '@jest/globals';
import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { normalizePhone } from '../../src/leads/csv/phone-normalizer';

/**
 * The import validates numbers with libphonenumber-js's ES build and the full metadata (through
 * src/leads/csv/phone-library.mts, for speed); the issue names `libphonenumber-js/max`. This pins
 * the two to the same answers, valid or not, for numbers of every country the library knows.
 */
describe('phone validation agrees with libphonenumber-js/max', () => {
  /** Each country's example mobile, and variants: digits changed, one too few, one too many. */
  function variants(national: string): string[] {
    const last = Number(national.slice(-1));
    const first = Number(national[0]);
    return [
      national,
      national.slice(0, -1) + ((last + 5) % 10),
      ((first + 3) % 10) + national.slice(1),
      national.slice(0, -1),
      `${national}7`,
      `0${national}`,
    ];
  }

  it('gives the same verdict and the same E.164 for over a thousand numbers of 240+ countries', () => {
    const countries = getCountries();
    expect(countries.length).toBeGreaterThan(240);
    let compared = 0;
    let valid = 0;
    let reread = 0;
    for (const country of countries) {
      const example = (examples as Record<string, string>)[country];
      if (!example) continue;
      for (const national of variants(example)) {
        for (const [input, defaultCountry] of [
          [national, country],
          [`+${callingCode(country)}${national}`, undefined],
        ] as [string, CountryCode | undefined][]) {
          const max = parsePhoneNumberFromString(input, defaultCountry);
          const expected = max?.isValid() ? { ok: true, e164: max.number } : { ok: false };
          const got = normalizePhone(input, defaultCountry);
          if (!expected.ok && got.ok && isLostPlusReading(input, got.e164)) {
            // Ours reads digits invalid nationally as an international number (issue #12).
            reread++;
            continue;
          }
          expect({ input, defaultCountry, ...pick(got) }).toEqual({
            input,
            defaultCountry,
            ...expected,
          });
          compared++;
          if (expected.ok) valid++;
        }
      }
    }
    // Both kinds are well represented, so the comparison is not vacuous either way.
    expect(compared).toBeGreaterThan(2500);
    expect(valid).toBeGreaterThan(500);
    expect(compared - valid).toBeGreaterThan(500);
    expect(reread).toBeLessThan(compared / 20);
  });
});

function callingCode(country: CountryCode): string {
  return parsePhoneNumberFromString((examples as Record<string, string>)[country], country)!
    .countryCallingCode;
}

/** Whether `e164` is `+` put before the input's digits, and valid as such for the library. */
function isLostPlusReading(input: string, e164: string): boolean {
  const plus = parsePhoneNumberFromString(`+${input}`);
  return /^\d+$/.test(input) && plus?.isValid() === true && plus.number === e164;
}

function pick(result: ReturnType<typeof normalizePhone>): { ok: boolean; e164?: string } {
  return result.ok ? { ok: true, e164: result.e164 } : { ok: false };
}
