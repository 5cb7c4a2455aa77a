import { CANADA } from './ca';
import { GERMANY, SPAIN, UNITED_KINGDOM } from './europe';
import { FRANCE } from './fr';
import type { Jurisdiction } from './types';
import { UNITED_STATES, US_STATES } from './us';

/** Every jurisdiction's rule data, as shipped in the repository (checked by the loader at start-up). */
export const RULE_FILES: readonly Jurisdiction[] = [
  FRANCE,
  UNITED_STATES,
  ...US_STATES,
  CANADA,
  SPAIN,
  GERMANY,
  UNITED_KINGDOM,
];
