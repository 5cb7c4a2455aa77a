/**
 * North American area codes of the states whose own rules are applied (NANPA assignments,
 * overlays included, checked 2026-12-04). Florida presumes a call to its area codes reaches a
 * resident (Fla. Stat. 501.059); the same reading is used for the other states.
 */
export const STATE_AREA_CODES: Record<string, readonly string[]> = {
  FL: [
    '239',
    '305',
    '321',
    '324',
    '352',
    '386',
    '407',
    '448',
    '561',
    '645',
    '656',
    '689',
    '727',
    '728',
    '754',
    '772',
    '786',
    '813',
    '850',
    '863',
    '904',
    '941',
    '954',
  ],
  OK: ['405', '539', '572', '580', '918'],
  MD: ['227', '240', '301', '410', '443', '667'],
  WA: ['206', '253', '360', '425', '509', '564'],
  AL: ['205', '251', '256', '334', '483', '659', '938'],
  LA: ['225', '318', '337', '457', '504', '985'],
  MS: ['228', '471', '601', '662', '769'],
};

const STATE_OF_AREA = new Map<string, string>(
  Object.entries(STATE_AREA_CODES).flatMap(([state, codes]) => codes.map((c) => [c, state])),
);

/** The state of a +1 number's area code among those above, or null. */
export function stateOfAreaCode(e164: string): string | null {
  return e164.startsWith('+1') ? (STATE_OF_AREA.get(e164.slice(2, 5)) ?? null) : null;
}
