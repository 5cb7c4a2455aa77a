export { startSimulator } from './simulator';
export { loadScenario } from './scenario';
export { HAIR_SALON_FR_SCENARIO } from './scenarios/hair-salon.fr';
export { DEFAULT_DURATIONS, DEFAULT_FAULTS } from './simulator-state';
export type * from './simulator.types';
export type * from './scenario.types';
