import { describe, expect, it } from '@jest/globals';
import { cronProblem, latestFireBetween, nextFireAfter } from '../../src/common/cron';

const at = (iso: string) => new Date(iso);

describe('cronProblem', () => {
  it('accepts 5 and 6 fields and presets', () => {
    for (const cron of [
      '0 19 * * 1-5',
      '*/15 9-17 * * mon-fri',
      '30 0 19 * * *',
      '@daily',
      '0 9 1 * *',
    ]) {
      expect(cronProblem(cron)).toBeNull();
    }
  });

  it('explains what is wrong', () => {
    expect(cronProblem('0 19 * *')).toMatch(/5 fields .* got 4/);
    expect(cronProblem('0 0 19 * * * *')).toMatch(/got 7/);
    expect(cronProblem('0 25 * * *')).toMatch(/out of range/);
    expect(cronProblem('0 0 30 2 *')).toMatch(/never fires/);
    expect(cronProblem('0 19 * * funday')).not.toBeNull();
  });
});

describe('nextFireAfter, read in the campaign’s zone', () => {
  it('keeps 19:00 Paris time on both sides of DST', () => {
    expect(nextFireAfter('0 19 * * *', 'Europe/Paris', at('2026-01-15T12:00:00Z'))).toEqual(
      at('2026-01-15T18:00:00Z'),
    );
    expect(nextFireAfter('0 19 * * *', 'Europe/Paris', at('2026-07-15T12:00:00Z'))).toEqual(
      at('2026-07-15T17:00:00Z'),
    );
    // Saturday 2026-03-28 after 19:00 CET: next is Sunday 19:00 CEST, the first day of summer time.
    expect(nextFireAfter('0 19 * * *', 'Europe/Paris', at('2026-03-28T18:30:00Z'))).toEqual(
      at('2026-03-29T17:00:00Z'),
    );
  });

  it('reads weekdays in the zone: Friday 19:00 in New York is Saturday in UTC', () => {
    expect(nextFireAfter('0 19 * * 5', 'America/New_York', at('2026-11-16T00:00:00Z'))).toEqual(
      at('2026-11-21T00:00:00Z'),
    );
  });

  it('fires once on the spring-forward day even for a time that does not exist', () => {
    const fires: Date[] = [];
    let t = at('2026-03-28T12:00:00Z');
    while (t < at('2026-03-30T12:00:00Z')) {
      t = nextFireAfter('30 2 * * *', 'Europe/Paris', t);
      if (t < at('2026-03-30T12:00:00Z')) fires.push(t);
    }
    expect(fires).toHaveLength(2);
    expect(fires[0]).toEqual(at('2026-03-29T01:00:00Z')); // 03:00 CEST, the first minute after the gap
    expect(fires[1]).toEqual(at('2026-03-30T00:30:00Z'));
  });
  it('fires once on the fall-back day, when 02:30 happens twice', () => {
    const first = nextFireAfter('30 2 * * *', 'Europe/Paris', at('2026-10-24T12:00:00Z'));
    expect(first).toEqual(at('2026-10-25T00:30:00Z')); // 02:30 CEST, the first of the two
    expect(nextFireAfter('30 2 * * *', 'Europe/Paris', first)).toEqual(at('2026-10-26T01:30:00Z'));
  });
});

describe('latestFireBetween', () => {
  const paris = 'Europe/Paris';

  it('answers the latest fire in (from, now], or null', () => {
    // Friday 2026-11-20, 19:00 Paris = 18:00Z.
    expect(
      latestFireBetween(
        '0 19 * * 1-5',
        paris,
        at('2026-11-20T12:00:00Z'),
        at('2026-11-20T17:59:59Z'),
      ),
    ).toBeNull();
    expect(
      latestFireBetween(
        '0 19 * * 1-5',
        paris,
        at('2026-11-20T12:00:00Z'),
        at('2026-11-20T18:00:00Z'),
      ),
    ).toEqual(at('2026-11-20T18:00:00Z'));
    // Exclusive of `from`: a fire at the very instant the campaign was started does not run.
    expect(
      latestFireBetween(
        '0 19 * * 1-5',
        paris,
        at('2026-11-20T18:00:00Z'),
        at('2026-11-20T18:30:00Z'),
      ),
    ).toBeNull();
    // Over a weekend only Friday's fire is the latest.
    expect(
      latestFireBetween(
        '0 19 * * 1-5',
        paris,
        at('2026-11-20T00:00:00Z'),
        at('2026-11-23T08:00:00Z'),
      ),
    ).toEqual(at('2026-11-20T18:00:00Z'));
  });

  it('gives only the latest of many missed fires, cheaply for frequent crons', () => {
    expect(
      latestFireBetween(
        '*/5 * * * *',
        'UTC',
        at('2026-11-20T04:00:00Z'),
        at('2026-11-20T10:07:30Z'),
      ),
    ).toEqual(at('2026-11-20T10:05:00Z'));
    expect(
      latestFireBetween(
        '* * * * * *',
        'UTC',
        at('2026-11-20T04:00:00Z'),
        at('2026-11-20T10:07:30.400Z'),
      ),
    ).toEqual(at('2026-11-20T10:07:30Z'));
    expect(
      latestFireBetween('0 3 * * *', 'UTC', at('2026-11-20T04:00:00Z'), at('2026-11-20T10:00:00Z')),
    ).toBeNull();
  });
});
