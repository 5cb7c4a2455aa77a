import type { Jurisdiction } from './types';

const CHECKED = '2026-12-04';
const WEEKDAY = [{ start: '09:00', end: '21:30' }];
const WEEKEND = [{ start: '10:00', end: '18:00' }];

export const CANADA: Jurisdiction = {
  id: 'CA',
  name: 'Canada',
  rules: [
    {
      id: 'CA-hours',
      kind: 'hours',
      week: {
        mon: WEEKDAY,
        tue: WEEKDAY,
        wed: WEEKDAY,
        thu: WEEKDAY,
        fri: WEEKDAY,
        sat: WEEKEND,
        sun: WEEKEND,
      },
      source:
        'CRTC Unsolicited Telecommunications Rules, Part II (Telecom Decision 2007-48): weekdays 9:00–21:30, weekends 10:00–18:00, called party’s time',
      checked: CHECKED,
    },
    {
      id: 'CA-consent',
      kind: 'consent',
      contact_types: ['consumer'],
      source:
        'CRTC Unsolicited Telecommunications Rules, Part IV (ADAD): automated calls need express consent',
      checked: CHECKED,
    },
    {
      id: 'CA-opt-out',
      kind: 'opt_out',
      source:
        'CRTC Unsolicited Telecommunications Rules, Part II; CRTC 2014-155: internal do-not-call requests within 14 days (here at once)',
      checked: CHECKED,
    },
  ],
};
