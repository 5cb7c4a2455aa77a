import type { Jurisdiction } from './types';

const CHECKED = '2026-12-04';
const WEEKDAY_HOURS = [
  { start: '10:00', end: '13:00' },
  { start: '14:00', end: '20:00' },
];

/**
 * France, consumer telephone prospection. Overseas numbers (+590, +594, +596, +262) are France
 * too: their own zone comes from the number, their own holiday from `regions`.
 */
export const FRANCE: Jurisdiction = {
  id: 'FR',
  name: 'France',
  rules: [
    {
      id: 'FR-hours',
      kind: 'hours',
      week: {
        mon: WEEKDAY_HOURS,
        tue: WEEKDAY_HOURS,
        wed: WEEKDAY_HOURS,
        thu: WEEKDAY_HOURS,
        fri: WEEKDAY_HOURS,
      },
      source:
        'Code de la consommation art. D223-9 (décret n° 2022-1313 du 13 octobre 2022): Monday to Friday, 10:00–13:00 and 14:00–20:00 in the consumer’s time zone',
      checked: CHECKED,
    },
    {
      id: 'FR-holidays',
      kind: 'holidays',
      country: 'FR',
      regions: { GP: 'GP', MQ: 'MQ', GF: 'GF', RE: 'RE', YT: 'YT', MF: 'MF', BL: 'BL' },
      conservative: {
        state: '67',
        why: 'Alsace-Moselle (57, 67, 68) also rests on Good Friday and 26 December (Code du travail L3134-13); a number does not tell the département',
      },
      source:
        'Code de la consommation art. D223-9: no call on a day férié under Code du travail art. L3133-1 (the 11 days); by default also the local days of Alsace-Moselle and of each overseas territory (loi n° 83-550)',
      checked: CHECKED,
    },
    {
      id: 'FR-frequency',
      kind: 'frequency',
      max: 4,
      days: 30,
      source:
        'Code de la consommation art. D223-9: no more than 4 calls or attempts to the same consumer in 30 calendar days, the professional and its third parties together',
      checked: CHECKED,
    },
    {
      id: 'FR-refusal',
      kind: 'refusal_cooldown',
      days: 60,
      source:
        'Code de la consommation art. D223-9: after a refusal during the conversation, no contact or attempt for 60 calendar days',
      checked: CHECKED,
    },
    {
      id: 'FR-consent',
      kind: 'consent',
      contact_types: ['consumer'],
      source:
        'Code de la consommation art. L223-1 as in force since 11 August 2026 (loi n° 2025-594): prior, free, specific, informed, unambiguous and revocable consent, proven by the professional (or a contract in progress)',
      checked: CHECKED,
    },
  ],
};
