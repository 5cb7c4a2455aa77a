// Kept for tests written against the old layout: everything here now lives in the kit.
import { FakeClock } from '../kit/clock';

export * from '../kit/simulator';
export { leadNumber } from '../kit/factories';
export { freePort } from '../kit/ports';

/** The kit's FakeClock in the old shape: `now` answers milliseconds and may be passed unbound. */
export function manualClock(start = Date.parse('2026-11-21T09:00:00.000Z')) {
  const clock = new FakeClock(start);
  return { now: () => clock.nowMs(), advance: (ms: number) => clock.advance(ms) };
}
