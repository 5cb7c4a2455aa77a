import type { Jurisdiction } from './types';

const CHECKED = '2026-12-04';
const SPAIN_HOURS = [{ start: '09:00', end: '21:00' }];

export const SPAIN: Jurisdiction = {
  id: 'ES',
  name: 'Spain',
  rules: [
    {
      id: 'ES-hours',
      kind: 'hours',
      week: {
        mon: SPAIN_HOURS,
        tue: SPAIN_HOURS,
        wed: SPAIN_HOURS,
        thu: SPAIN_HOURS,
        fri: SPAIN_HOURS,
      },
      source:
        'Real Decreto Legislativo 1/2007 (LGDCU) art. 96.2: never before 9:00 or after 21:00, nor on holidays or weekends',
      checked: CHECKED,
    },
    {
      id: 'ES-holidays',
      kind: 'holidays',
      country: 'ES',
      source:
        'LGDCU art. 96.2: no call on festivos (national days; a number does not tell the region)',
      checked: CHECKED,
    },
    {
      id: 'ES-consent',
      kind: 'consent',
      contact_types: ['consumer'],
      source:
        'Ley 11/2022 General de Telecomunicaciones art. 66.1.b; LGDCU art. 96.3: prior consent',
      checked: CHECKED,
    },
  ],
};

export const GERMANY: Jurisdiction = {
  id: 'DE',
  name: 'Germany',
  rules: [
    {
      id: 'DE-consent',
      kind: 'consent',
      contact_types: ['consumer'],
      source: 'UWG §7(2) Nr. 1 and §7a: prior express consent, documented and kept 5 years',
      checked: CHECKED,
    },
  ],
};

export const UNITED_KINGDOM: Jurisdiction = {
  id: 'GB',
  name: 'United Kingdom',
  rules: [
    {
      id: 'GB-consent',
      kind: 'consent',
      contact_types: ['consumer'],
      source: 'PECR reg. 19 (automated calls) and 21: prior consent',
      checked: CHECKED,
    },
  ],
};
