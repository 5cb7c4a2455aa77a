import { describe, expect, it } from '@jest/globals';
import type { CallingWindow } from '../../src/windows/calling-window';
import { CallingWindowService } from '../../src/windows/calling-window.service';
import { candidateZones, phoneTimeZones } from '../../src/windows/candidate-zones';

describe('candidateZones', () => {
  it('uses the zones of the number from libphonenumber-geo-carrier', async () => {
    expect(await candidateZones('+13175551234', null, 'Europe/Paris')).toEqual([
      'America/New_York',
    ]);
    expect(await candidateZones('+16025551234', null, 'Europe/Paris')).toEqual(['America/Phoenix']);
    expect(await candidateZones('+262692123456', null, 'Europe/Paris')).toEqual(['Indian/Reunion']);
    expect(await candidateZones('+61212345678', null, 'Europe/Paris')).toEqual([
      'Australia/Sydney',
    ]);
  });

  it("prefers the lead's own valid timezone column, canonically spelled", async () => {
    expect(await candidateZones('+13175551234', 'europe/paris', 'UTC')).toEqual(['Europe/Paris']);
    expect(await candidateZones('+13175551234', 'Mars/Olympus', 'UTC')).toEqual([
      'America/New_York',
    ]);
  });

  it("falls back to the campaign's zone when the number has none", async () => {
    expect(await phoneTimeZones('+80012345678')).toEqual([]);
    expect(await candidateZones('+80012345678', null, 'Asia/Tokyo')).toEqual(['Asia/Tokyo']);
    expect(await candidateZones('not a number', null, 'Asia/Tokyo')).toEqual(['Asia/Tokyo']);
  });

  it('gives every zone of a North American toll-free number, all valid IANA names', async () => {
    const zones = await phoneTimeZones('+18005550100');
    expect(zones.length).toBeGreaterThan(10);
    expect(zones).toEqual(
      expect.arrayContaining(['America/New_York', 'Pacific/Honolulu', 'America/Anchorage']),
    );
    expect(zones).not.toContain('Etc/Unknown');
  });
});

describe('CallingWindowService.evaluate', () => {
  const service = new CallingWindowService();
  const campaign = {
    timezone: 'Europe/Paris',
    callingWindow: {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      hours: [{ start: '10:00', end: '13:00' }],
    } as CallingWindow,
  };

  it('checks a lead in the zones of its number', async () => {
    // Wednesday 2026-11-18 15:30Z: 10:30 in New York, 16:30 in Paris.
    const v = await service.evaluate(
      campaign,
      { phone: '+13175551234', timezone: null },
      new Date('2026-11-18T15:30:00Z'),
    );
    expect(v).toMatchObject({ allowed: true, zones: ['America/New_York'] });
    const paris = await service.evaluate(
      campaign,
      { phone: '+33612345678', timezone: null },
      new Date('2026-11-18T15:30:00Z'),
    );
    expect(paris.allowed).toBe(false);
    expect(paris.next_open_at).toEqual(new Date('2026-11-19T09:00:00Z'));
  });

  it('reports that a toll-free number spanning Guam to Newfoundland never fits a 3-hour window', async () => {
    const v = await service.evaluate(
      campaign,
      { phone: '+18005550100', timezone: null },
      new Date('2026-11-18T15:30:00Z'),
    );
    expect(v.allowed).toBe(false);
    expect(v.next_open_at).toBeNull();
    expect(v.reason).toMatch(
      /^never inside the calling window in all of its time zones \(America\/.+ and \d+ more\)$/,
    );
  });
});
