import { HAIR_SALON_FR_SCENARIO } from '../simulator/scenarios/hair-salon.fr';

/** The demo calls with the simulator's default agent (French hair-salon qualification) and line. */
export const DEMO_SCENARIO_AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;
export const DEMO_FROM_NUMBER = HAIR_SALON_FR_SCENARIO.phone_numbers[0].number;
