import type { Clock } from '../../src/core/runtime';

/** Time set by the test alone: nothing moves unless it calls advance() or set(). */
export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date | string | number = '2026-11-21T09:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  /** For the simulator's `now` option (milliseconds). */
  nowMs(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date | string | number): void {
    this.t = new Date(at).getTime();
  }
}

/** Time that moves with the wall clock, plus whatever a test adds: leases and calls keep working. */
export class ShiftedClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(this.nowMs());
  }
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
