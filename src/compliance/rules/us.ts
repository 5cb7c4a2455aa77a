import type { Weekday } from '../../windows/calling-window';
import type { HoursSpan, Jurisdiction } from './types';

const CHECKED = '2026-12-04';
const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function everyDay(
  hours: HoursSpan[],
  except: Weekday[] = [],
): Partial<Record<Weekday, HoursSpan[]>> {
  return Object.fromEntries(ALL_DAYS.filter((d) => !except.includes(d)).map((d) => [d, hours]));
}

export const UNITED_STATES: Jurisdiction = {
  id: 'US',
  name: 'United States',
  rules: [
    {
      id: 'US-hours',
      kind: 'hours',
      week: everyDay([{ start: '08:00', end: '21:00' }]),
      source:
        '47 CFR 64.1200(c)(1): no telephone solicitation before 8 a.m. or after 9 p.m. at the called party’s location',
      checked: CHECKED,
    },
    {
      id: 'US-consent',
      kind: 'consent',
      contact_types: ['consumer'],
      source:
        '47 CFR 64.1200(a)(2)-(3); FCC 24-17 (8 Feb 2024): an AI-generated voice is an artificial voice; telemarketing needs prior express written consent',
      checked: CHECKED,
    },
    {
      id: 'US-opt-out',
      kind: 'opt_out',
      source:
        '47 CFR 64.1200(d), (a)(10); FCC 24-18: a revocation by any reasonable means is honoured (here at once)',
      checked: CHECKED,
    },
  ],
};

const EIGHT_TO_EIGHT = [{ start: '08:00', end: '20:00' }];

function threePerDay(id: string, source: string) {
  return { id, kind: 'frequency' as const, max: 3, days: 1, source, checked: CHECKED };
}

/** The states whose stricter rules are applied, by area code (see us-area-codes.ts). */
export const US_STATES: Jurisdiction[] = [
  {
    id: 'US-FL',
    name: 'Florida',
    parent: 'US',
    rules: [
      {
        id: 'US-FL-hours',
        kind: 'hours',
        week: everyDay(EIGHT_TO_EIGHT),
        source: 'Fla. Stat. 501.616(6)(a): 8 a.m. to 8 p.m. in the called person’s time zone',
        checked: CHECKED,
      },
      threePerDay(
        'US-FL-frequency',
        'Fla. Stat. 501.616(6)(b): no more than 3 commercial telephone solicitation calls to a person in 24 hours on the same subject',
      ),
    ],
  },
  {
    id: 'US-OK',
    name: 'Oklahoma',
    parent: 'US',
    rules: [
      {
        id: 'US-OK-hours',
        kind: 'hours',
        week: everyDay(EIGHT_TO_EIGHT),
        source: '15 O.S. §775C.4: 8 a.m. to 8 p.m.',
        checked: CHECKED,
      },
      threePerDay(
        'US-OK-frequency',
        '15 O.S. §775C.4: no more than 3 calls in 24 hours on the same subject',
      ),
    ],
  },
  {
    id: 'US-MD',
    name: 'Maryland',
    parent: 'US',
    rules: [
      {
        id: 'US-MD-hours',
        kind: 'hours',
        week: everyDay(EIGHT_TO_EIGHT),
        source:
          'Maryland Stop the Spam Calls Act of 2023 (Com. Law §14-4501 ff.): 8 a.m. to 8 p.m.',
        checked: CHECKED,
      },
      threePerDay(
        'US-MD-frequency',
        'Maryland Stop the Spam Calls Act of 2023: no more than 3 calls or texts in 24 hours on the same subject',
      ),
    ],
  },
  {
    id: 'US-WA',
    name: 'Washington',
    parent: 'US',
    rules: [
      {
        id: 'US-WA-hours',
        kind: 'hours',
        week: everyDay(EIGHT_TO_EIGHT),
        source: 'RCW 19.158.040: 8 a.m. to 8 p.m.',
        checked: CHECKED,
      },
    ],
  },
  ...(
    [
      ['AL', 'Alabama', 'Ala. Code §8-19A-3'],
      ['LA', 'Louisiana', 'La. R.S. 45:844.12'],
      ['MS', 'Mississippi', 'Miss. Code §77-3-729'],
    ] as const
  ).map(([state, name, code]) => ({
    id: `US-${state}`,
    name,
    parent: 'US',
    rules: [
      {
        id: `US-${state}-hours`,
        kind: 'hours' as const,
        week: everyDay(EIGHT_TO_EIGHT, ['sun']),
        source: `${code}: 8 a.m. to 8 p.m., no call on Sunday`,
        checked: CHECKED,
      },
      {
        id: `US-${state}-holidays`,
        kind: 'holidays' as const,
        country: 'US',
        state,
        source: `${code}: no call on state holidays (the state government holidays of date-holidays; governor proclamations and emergencies are not covered)`,
        checked: CHECKED,
      },
    ],
  })),
];
