import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_COMPLIANCE,
  evaluate,
  loadRuleBook,
  type ComplianceSettings,
  type ComplianceVerdict,
  type ContactHistory,
} from '../../src/compliance';
import { RULE_FILES } from '../../src/compliance/rules';
import { FRANCE } from '../../src/compliance/rules/fr';
import { phoneTimeZones } from '../../src/windows/candidate-zones';

const BOOK = loadRuleBook(RULE_FILES, new Date('2026-12-04T12:00:00Z'));
const ALWAYS = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const,
  hours: [{ start: '00:00', end: '24:00' }],
};
const NO_HISTORY: ContactHistory = { attempts: [], refusedAt: null };
const CONSENTED = new Date('2026-09-01T00:00:00Z');

async function check(
  phone: string,
  at: string,
  opts: {
    settings?: Partial<ComplianceSettings>;
    history?: ContactHistory;
    consent?: Date | null;
    contactType?: 'consumer' | 'business' | null;
  } = {},
): Promise<ComplianceVerdict> {
  const zones = await phoneTimeZones(phone);
  return evaluate(
    {
      phone,
      zones,
      contact_type: opts.contactType ?? null,
      consent_at: opts.consent === undefined ? CONSENTED : opts.consent,
    },
    {
      callingWindow: { ...ALWAYS, days: [...ALWAYS.days] },
      compliance: { ...DEFAULT_COMPLIANCE, ...opts.settings },
    },
    new Date(at),
    opts.history ?? NO_HISTORY,
    BOOK,
  );
}

function held(v: ComplianceVerdict): { reason: string; next: string } {
  if (!('allowed' in v) || v.allowed)
    throw new Error(`expected held back, got ${JSON.stringify(v)}`);
  return { reason: v.reason, next: v.next_allowed_at.toISOString() };
}

const FR = '+33612345678';

describe('the shipped rule files', () => {
  it('all load, each rule with a source and a check date', () => {
    expect([...BOOK.failures]).toEqual([]);
    expect([...BOOK.jurisdictions.keys()]).toEqual(
      expect.arrayContaining([
        'FR',
        'US',
        'US-FL',
        'US-OK',
        'US-MD',
        'US-WA',
        'US-AL',
        'US-LA',
        'US-MS',
        'CA',
        'ES',
        'DE',
        'GB',
      ]),
    );
  });

  it('a rule file that fails to load holds its leads back with the reason (fail closed)', () => {
    const broken = {
      ...FRANCE,
      rules: [...FRANCE.rules, { ...FRANCE.rules[0], id: 'FR-bad', checked: 'yesterday' }],
    };
    const book = loadRuleBook([broken], new Date('2026-12-04T12:00:00Z'));
    expect(book.failures.get('FR')).toContain('FR-bad: checked must be a YYYY-MM-DD date');
    const v = evaluate(
      { phone: FR, zones: ['Europe/Paris'], contact_type: null, consent_at: CONSENTED },
      { callingWindow: { ...ALWAYS, days: [...ALWAYS.days] }, compliance: DEFAULT_COMPLIANCE },
      new Date('2027-05-07T09:00:00Z'),
      NO_HISTORY,
      book,
    );
    expect(held(v).reason).toMatch(/^jurisdiction: rules of FR failed to load/);
  });
});

describe('France', () => {
  it('calls on a weekday at 11:00 Paris time', async () => {
    expect(await check(FR, '2027-05-07T09:00:00Z')).toEqual({ allowed: true });
  });

  it('holds Ascension Thursday back until Friday 10:00 Paris time', async () => {
    const v = held(await check(FR, '2027-05-06T09:00:00Z'));
    expect(v.reason).toBe('holiday: Ascension (FR)');
    expect(v.next).toBe('2027-05-07T08:00:00.000Z');
  });

  it('holds 14 July back', async () => {
    const v = held(await check(FR, '2027-07-14T09:00:00Z'));
    expect(v.reason).toMatch(/^holiday: Fête Nationale/);
    expect(v.next).toBe('2027-07-15T08:00:00.000Z');
  });

  it('holds 22 May back for a +596 number in America/Martinique, not for a +33 one', async () => {
    expect(await phoneTimeZones('+596696123456')).toEqual(['America/Martinique']);
    const v = held(await check('+596696123456', '2026-05-22T15:00:00Z')); // 11:00 in Martinique
    expect(v.reason).toBe('holiday: Abolition de l’esclavage (FR-MQ)');
    // Then the weekend, then Whit Monday: Tuesday 10:00 in Martinique (UTC−4).
    expect(v.next).toBe('2026-05-26T14:00:00.000Z');
    expect(await check(FR, '2026-05-22T09:00:00Z')).toEqual({ allowed: true });
  });

  it('holds Good Friday back (Alsace-Moselle) only while the conservative default is on', async () => {
    const v = held(await check(FR, '2027-03-26T10:00:00Z'));
    expect(v.reason).toBe('holiday: Vendredi saint (FR)');
    expect(v.next).toBe('2027-03-30T08:00:00.000Z'); // Easter Monday in between; summer time
    expect(
      await check(FR, '2027-03-26T10:00:00Z', { settings: { conservative_holidays: false } }),
    ).toEqual({
      allowed: true,
    });
  });

  it('keeps 10:00 and 20:00 local across the spring DST change', async () => {
    // Friday before (UTC+1), Monday after (UTC+2).
    expect(held(await check(FR, '2026-03-27T08:30:00Z')).next).toBe('2026-03-27T09:00:00.000Z');
    expect(held(await check(FR, '2026-03-30T07:59:00Z')).next).toBe('2026-03-30T08:00:00.000Z');
    expect(await check(FR, '2026-03-30T08:00:00Z')).toEqual({ allowed: true });
    expect(held(await check(FR, '2026-03-30T18:00:00Z')).reason).toMatch(
      /^hours: outside the allowed hours \(FR-hours\)/,
    );
  });

  it('skips the lunch break and the weekend', async () => {
    expect(held(await check(FR, '2027-05-07T11:30:00Z')).next).toBe('2027-05-07T12:00:00.000Z');
    expect(held(await check(FR, '2027-05-08T09:00:00Z')).next).toBe('2027-05-10T08:00:00.000Z');
  });

  it('allows 4 attempts in 30 rolling days, the fifth when the oldest of the four is 30 days old', async () => {
    const attempts = ['2027-04-01T09:00:00Z', '2027-04-10T09:00:00Z', '2027-04-20T09:00:00Z'].map(
      (d) => new Date(d),
    );
    expect(
      await check(FR, '2027-04-28T09:00:00Z', { history: { attempts, refusedAt: null } }),
    ).toEqual({ allowed: true });
    attempts.push(new Date('2027-04-28T09:00:00Z'));
    const v = held(
      await check(FR, '2027-04-29T09:00:00Z', { history: { attempts, refusedAt: null } }),
    );
    // 1 April + 30 days = 1 May (a holiday), then the weekend: Monday 3 May 10:00.
    expect(v.next).toBe('2027-05-03T08:00:00.000Z');
    expect(v.reason).toBe(
      'frequency: 4 contacts in 30 days (FR-frequency), next 2027-05-03T08:00:00.000Z',
    );
  });

  it('after a refusal, no call for 60 days', async () => {
    const history = { attempts: [], refusedAt: new Date('2027-03-01T09:00:00Z') };
    const v = held(await check(FR, '2027-04-15T09:00:00Z', { history }));
    expect(v.reason).toMatch(
      /^refusal: refused on 2027-03-01T09:00:00.000Z, no call for 60 days \(FR-refusal\)/,
    );
    expect(v.next).toBe('2027-04-30T09:00:00.000Z');
  });

  it('a campaign max_contacts tightens the law', async () => {
    const attempts = [new Date('2027-05-03T09:00:00Z')];
    const v = held(
      await check(FR, '2027-05-04T09:00:00Z', {
        history: { attempts, refusedAt: null },
        settings: { max_contacts: { count: 1, days: 7 } },
      }),
    );
    expect(v.next).toBe('2027-05-10T09:00:00.000Z');
  });

  it('a consumer without recorded consent is ineligible; a business contact is called', async () => {
    expect(await check(FR, '2027-05-07T09:00:00Z', { consent: null })).toEqual({
      final: 'ineligible',
      reason: 'consent: no recorded consent for a consumer lead (FR-consent)',
    });
    expect(
      await check(FR, '2027-05-07T09:00:00Z', { consent: null, contactType: 'business' }),
    ).toEqual({ allowed: true });
    expect(
      await check(FR, '2027-05-07T09:00:00Z', {
        consent: null,
        settings: { contact_type: 'business' },
      }),
    ).toEqual({ allowed: true });
  });
});

describe('North America', () => {
  it('refuses a Florida area code at 20:30 local, calls a California one at 20:30 local', async () => {
    // Wednesday 10 March 2027, EST (UTC−5) and PST (UTC−8).
    const fl = held(await check('+13052123456', '2027-03-11T01:30:00Z'));
    expect(fl.reason).toMatch(/^hours: outside the allowed hours \(US-FL-hours, US-hours\)/);
    expect(fl.next).toBe('2027-03-11T13:00:00.000Z');
    expect(await check('+14152123456', '2027-03-11T04:30:00Z')).toEqual({ allowed: true });
  });

  it('caps Florida at 3 calls in 24 hours', async () => {
    const attempts = ['2027-03-10T14:00:00Z', '2027-03-10T15:00:00Z', '2027-03-10T16:00:00Z'].map(
      (d) => new Date(d),
    );
    const v = held(
      await check('+13052123456', '2027-03-10T17:00:00Z', {
        history: { attempts, refusedAt: null },
      }),
    );
    expect(v.next).toBe('2027-03-11T14:00:00.000Z');
  });

  it('keeps 08:00 local across the US DST change', async () => {
    // Friday 6 March 2026 07:30 EST; Monday 9 March 2026 08:00 EDT.
    expect(held(await check('+13052123456', '2026-03-06T12:30:00Z')).next).toBe(
      '2026-03-06T13:00:00.000Z',
    );
    expect(await check('+13052123456', '2026-03-09T12:00:00Z')).toEqual({ allowed: true });
  });

  it('Louisiana: no Sunday, no state holiday', async () => {
    expect(held(await check('+12252123456', '2027-03-14T16:00:00Z')).next).toBe(
      '2027-03-15T13:00:00.000Z',
    );
    expect(held(await check('+12252123456', '2027-02-09T16:00:00Z')).reason).toBe(
      'holiday: Mardi Gras (US-LA)',
    );
  });

  it('Canada: 10:00–18:00 at weekends, 09:00–21:30 on weekdays', async () => {
    const ca = '+14162123456'; // Toronto, EST in March 2027 before the 14th
    expect(held(await check(ca, '2027-03-13T14:30:00Z')).next).toBe('2027-03-13T15:00:00.000Z'); // Sat 09:30
    expect(await check(ca, '2027-03-13T22:59:00Z')).toEqual({ allowed: true }); // Sat 17:59
    expect(held(await check(ca, '2027-03-13T23:00:00Z')).next).toBe('2027-03-14T14:00:00.000Z'); // Sun 10:00 EDT
    expect(await check(ca, '2027-03-16T01:00:00Z')).toEqual({ allowed: true }); // Mon 21:00 EDT
  });
});

describe('other settings', () => {
  it('rules: none applies the campaign window only', async () => {
    expect(
      await check(FR, '2027-05-06T09:00:00Z', { settings: { rules: 'none' }, consent: null }),
    ).toEqual({ allowed: true });
  });

  it('a country without rule data is ineligible under auto, with the reason', async () => {
    const v = await check('+32470123456', '2027-05-07T09:00:00Z');
    expect(v).toEqual({
      final: 'ineligible',
      reason: expect.stringMatching(/^jurisdiction: no calling rules on file for BE/),
    });
  });

  it('listed jurisdictions apply to every lead', async () => {
    const v = held(
      await check('+32470123456', '2027-05-06T09:00:00Z', { settings: { rules: ['FR'] } }),
    );
    expect(v.reason).toBe('holiday: Ascension (FR)');
  });

  it('Spain: weekdays 09:00–21:00, no national holiday', async () => {
    expect(held(await check('+34612345678', '2027-10-12T09:00:00Z')).reason).toMatch(
      /^holiday: Fiesta Nacional/,
    );
    expect(held(await check('+34612345678', '2027-10-13T06:00:00Z')).next).toBe(
      '2027-10-13T07:00:00.000Z',
    );
  });
});
