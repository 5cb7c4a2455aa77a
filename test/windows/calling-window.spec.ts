import { describe, expect, it } from '@jest/globals';
import type { CallingWindow } from '../../src/windows/calling-window';
import { DateTime } from 'luxon';
import { checkWindow, WEEKDAYS } from '../../src/windows/calling-window';

const weekdays: CallingWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const french: CallingWindow = {
  days: weekdays,
  hours: [
    { start: '10:00', end: '13:00' },
    { start: '14:00', end: '20:00' },
  ],
};
const at = (iso: string) => new Date(iso);

describe('checkWindow in one zone', () => {
  it('allows inside either interval of an allowed day and names the next opening otherwise', () => {
    // Wednesday 2026-11-18; Paris is UTC+1 in November.
    expect(checkWindow(french, ['Europe/Paris'], at('2026-11-18T10:30:00Z'))).toEqual({
      allowed: true,
      next_open_at: at('2026-11-18T10:30:00Z'),
    });
    const lunch = checkWindow(french, ['Europe/Paris'], at('2026-11-18T12:30:00Z')); // 13:30 local
    expect(lunch.allowed).toBe(false);
    expect(lunch.next_open_at).toEqual(at('2026-11-18T13:00:00Z')); // 14:00 local
    expect(lunch.reason).toContain('Europe/Paris');
    // 20:00 local is closed (intervals are half-open); next is Thursday 10:00 local.
    expect(checkWindow(french, ['Europe/Paris'], at('2026-11-18T19:00:00Z')).next_open_at).toEqual(
      at('2026-11-19T09:00:00Z'),
    );
    expect(checkWindow(french, ['Europe/Paris'], at('2026-11-18T18:59:59Z')).allowed).toBe(true);
  });

  it('skips days that are not allowed: Friday evening waits for Monday morning', () => {
    const friday = checkWindow(french, ['Europe/Paris'], at('2026-11-20T20:00:00Z'));
    expect(friday).toMatchObject({ allowed: false, next_open_at: at('2026-11-23T09:00:00Z') });
    const weekendOnly: CallingWindow = {
      days: ['sat', 'sun'],
      hours: [{ start: '09:00', end: '12:00' }],
    };
    expect(
      checkWindow(weekendOnly, ['Europe/Paris'], at('2026-11-18T09:00:00Z')).next_open_at,
    ).toEqual(at('2026-11-21T08:00:00Z'));
    expect(checkWindow(weekendOnly, ['Europe/Paris'], at('2026-11-22T10:00:00Z')).allowed).toBe(
      true,
    );
  });

  it('reads the window in each zone: New York, Phoenix, Réunion and Sydney', () => {
    const nine: CallingWindow = { days: weekdays, hours: [{ start: '09:00', end: '17:00' }] };
    // Wednesday 2026-07-15 14:30Z: 10:30 in New York (EDT), 07:30 in Phoenix (MST, no DST),
    // 18:30 in Réunion, 00:30 Thursday in Sydney.
    const t = at('2026-07-15T14:30:00Z');
    expect(checkWindow(nine, ['America/New_York'], t).allowed).toBe(true);
    expect(checkWindow(nine, ['America/Phoenix'], t).next_open_at).toEqual(
      at('2026-07-15T16:00:00Z'),
    );
    expect(checkWindow(nine, ['Indian/Reunion'], t).next_open_at).toEqual(
      at('2026-07-16T05:00:00Z'),
    );
    expect(checkWindow(nine, ['Australia/Sydney'], t).next_open_at).toEqual(
      at('2026-07-15T23:00:00Z'),
    );
  });

  it('moves with local time across the DST change of the last Sunday of March in Paris', () => {
    const daily: CallingWindow = {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      hours: [{ start: '10:00', end: '18:00' }],
    };
    // Saturday 2026-03-28 (UTC+1): 10:00 local is 09:00Z.
    expect(checkWindow(daily, ['Europe/Paris'], at('2026-03-28T08:30:00Z')).next_open_at).toEqual(
      at('2026-03-28T09:00:00Z'),
    );
    // Searched from Saturday evening, the opening is Sunday 10:00 CEST (UTC+2) = 08:00Z.
    expect(checkWindow(daily, ['Europe/Paris'], at('2026-03-28T18:00:00Z')).next_open_at).toEqual(
      at('2026-03-29T08:00:00Z'),
    );
    // Monday 08:30Z is 10:30 local: open; 16:30Z is 18:30 local: closed.
    expect(checkWindow(daily, ['Europe/Paris'], at('2026-03-30T08:30:00Z')).allowed).toBe(true);
    expect(checkWindow(daily, ['Europe/Paris'], at('2026-03-30T16:30:00Z')).allowed).toBe(false);
    // In autumn the window moves back: Sunday 2026-10-25 10:00 CET = 09:00Z.
    expect(checkWindow(daily, ['Europe/Paris'], at('2026-10-25T08:30:00Z')).allowed).toBe(false);
    expect(checkWindow(daily, ['Europe/Paris'], at('2026-10-25T09:00:00Z')).allowed).toBe(true);
  });

  it('joins intervals that meet at midnight and honours 24:00', () => {
    const night: CallingWindow = {
      days: ['mon', 'tue'],
      hours: [
        { start: '00:00', end: '02:00' },
        { start: '22:00', end: '24:00' },
      ],
    };
    // Monday 2026-11-16 23:59 UTC and Tuesday 01:00 UTC are inside; Tuesday 23:59 too.
    expect(checkWindow(night, ['UTC'], at('2026-11-16T23:59:00Z')).allowed).toBe(true);
    expect(checkWindow(night, ['UTC'], at('2026-11-17T01:00:00Z')).allowed).toBe(true);
    expect(checkWindow(night, ['UTC'], at('2026-11-17T23:59:59Z')).allowed).toBe(true);
    // Wednesday 01:00 is not (Wednesday is not an allowed day): next is Monday 00:00.
    expect(checkWindow(night, ['UTC'], at('2026-11-18T01:00:00Z')).next_open_at).toEqual(
      at('2026-11-23T00:00:00Z'),
    );
  });
});

describe('checkWindow in several zones', () => {
  const nine: CallingWindow = { days: weekdays, hours: [{ start: '09:00', end: '18:00' }] };

  it('allows only when every zone is inside', () => {
    const zones = ['America/New_York', 'America/Los_Angeles'];
    // Wednesday 2026-11-18 15:00Z: 10:00 in New York, 07:00 in Los Angeles.
    const early = checkWindow(nine, zones, at('2026-11-18T15:00:00Z'));
    expect(early.allowed).toBe(false);
    expect(early.reason).toContain('America/Los_Angeles');
    expect(early.reason).not.toContain('America/New_York');
    expect(early.next_open_at).toEqual(at('2026-11-18T17:00:00Z')); // 09:00 in Los Angeles
    expect(checkWindow(nine, zones, at('2026-11-18T22:59:00Z')).allowed).toBe(true); // 17:59 NY
    // 18:00 in New York closes the shared window until Thursday 09:00 in Los Angeles.
    expect(checkWindow(nine, zones, at('2026-11-18T23:00:00Z')).next_open_at).toEqual(
      at('2026-11-19T17:00:00Z'),
    );
  });

  it('answers never when the zones share no open minute', () => {
    const narrow: CallingWindow = { days: weekdays, hours: [{ start: '10:00', end: '12:00' }] };
    const verdict = checkWindow(
      narrow,
      ['Pacific/Honolulu', 'Asia/Tokyo'],
      at('2026-11-18T12:00:00Z'),
    );
    expect(verdict.allowed).toBe(false);
    expect(verdict.next_open_at).toBeNull();
    expect(verdict.reason).toMatch(
      /^never inside the calling window in all of its time zones \(Pacific\/Honolulu, Asia\/Tokyo\)/,
    );
  });

  it('finds the shared openings of Paris and Réunion, lunch breaks included', () => {
    // Réunion is UTC+4 all year, Paris UTC+1 in November. Open in UTC: Paris 09–12 and 13–19,
    // Réunion 06–09 and 10–16; both: 10–12 and 13–16.
    const zones = ['Europe/Paris', 'Indian/Reunion'];
    expect(checkWindow(french, zones, at('2026-11-18T08:00:00Z')).next_open_at).toEqual(
      at('2026-11-18T10:00:00Z'),
    );
    expect(checkWindow(french, zones, at('2026-11-18T09:30:00Z')).allowed).toBe(false); // Réunion's lunch
    expect(checkWindow(french, zones, at('2026-11-18T10:30:00Z')).allowed).toBe(true);
    expect(checkWindow(french, zones, at('2026-11-18T12:30:00Z')).allowed).toBe(false); // Paris's lunch
    expect(checkWindow(french, zones, at('2026-11-18T14:30:00Z')).allowed).toBe(true);
    // 16:00Z is 20:00 in Réunion: closed until Thursday 10:00Z.
    expect(checkWindow(french, zones, at('2026-11-18T16:00:00Z')).next_open_at).toEqual(
      at('2026-11-19T10:00:00Z'),
    );
  });
});

describe('checkWindow asked again and again (open spans are remembered)', () => {
  it('agrees with local wall-clock time at every instant, forwards and backwards, across the DST change in Paris', () => {
    const insideLocally = (zone: string, ms: number) => {
      const local = DateTime.fromMillis(ms, { zone });
      const minutes = local.hour * 60 + local.minute;
      return (
        french.days.includes(WEEKDAYS[local.weekday - 1]) &&
        french.hours.some((h) => {
          const [sh, sm] = h.start.split(':').map(Number);
          const [eh, em] = h.end.split(':').map(Number);
          return minutes >= sh * 60 + sm && minutes < eh * 60 + em;
        })
      );
    };
    const instants: number[] = [];
    // Friday 2026-03-27 to Tuesday 2026-03-31 (Paris moves on Sunday the 29th), every 7 minutes.
    for (let ms = Date.parse('2026-03-27T00:00:00Z'); ms < Date.parse('2026-03-31T23:00:00Z');)
      instants.push((ms += 7 * 60_000));
    for (const zone of ['Europe/Paris', 'America/New_York', 'Australia/Sydney']) {
      for (const ms of [...instants, ...instants.reverse()]) {
        expect([zone, ms, checkWindow(french, [zone], new Date(ms)).allowed]).toEqual([
          zone,
          ms,
          insideLocally(zone, ms),
        ]);
      }
    }
  });
});
