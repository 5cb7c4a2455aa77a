import type { RateLimitKind } from '../platform/voice-platform.port';

/**
 * The rules of the learned platform limit (AIMD), apart from the SQL that applies them.
 *
 * - Decrease, only on evidence of a concurrency limit: the 429 names it, or 429s that name no
 *   limit keep coming at one live count while no start is accepted at that count or above. The
 *   limit drops to the live count (multiplicative: however far above it was), never below 1.
 * - A rate 429 (or one unexplained 429, e.g. a random one) only pauses starts for Retry-After.
 * - Increase: +1 per `growthStartsFor(limit)` starts accepted while the limit is what holds the
 *   fleet back, with no quiet period required.
 */

/** Unexplained 429s at one level, none of them disproved, that make a concurrency limit. */
export const UNEXPLAINED_429S_FOR_LIMIT = 3;
/** Live counts this close are "the same level": our count trails the platform's by a poll. */
export const SAME_LEVEL_MARGIN = 1;
/** The limit grows by one per this many accepted starts, or per `limit` starts when larger. */
export const GROWTH_STARTS_MIN = 8;

export function growthStartsFor(limit: number): number {
  return Math.max(GROWTH_STARTS_MIN, limit);
}

export interface LimitState {
  observedLimit: number | null;
  /** Lowest live count of the current run of unexplained 429s; null = no run. */
  unexplained429Live: number | null;
  unexplained429s: number;
}

export interface Verdict extends LimitState {
  /** The limit was lowered by this 429 (growth restarts from zero). */
  lowered: boolean;
  reason: string;
}

/** What a 429 on POST /calls/phone, refused with `live` calls live fleet-wide, does to the limit. */
export function judge429(state: LimitState, kind: RateLimitKind, live: number): Verdict {
  const lower = (level: number, reason: string): Verdict => ({
    observedLimit: Math.max(1, Math.min(state.observedLimit ?? level, level)),
    unexplained429Live: null,
    unexplained429s: 0,
    lowered: true,
    reason,
  });
  if (kind === 'concurrency') return lower(live, 'the platform names a concurrent-call limit');
  if (kind === 'rate') {
    return { ...state, lowered: false, reason: 'the platform names a rate limit' };
  }
  if (live === 0) {
    // Refused with nothing live: no concurrency limit of ours explains it (a rate limit does).
    return { ...state, lowered: false, reason: 'unexplained 429 with no call live' };
  }
  const level = state.unexplained429Live;
  const sameRun = level !== null && Math.abs(live - level) <= SAME_LEVEL_MARGIN;
  const run = {
    unexplained429Live: sameRun ? Math.min(level, live) : live,
    unexplained429s: sameRun ? state.unexplained429s + 1 : 1,
  };
  if (run.unexplained429s >= UNEXPLAINED_429S_FOR_LIMIT) {
    return lower(
      run.unexplained429Live,
      `${run.unexplained429s} refusals at about ${run.unexplained429Live} live calls, none accepted there`,
    );
  }
  return {
    observedLimit: state.observedLimit,
    ...run,
    lowered: false,
    reason: `unexplained 429 (${run.unexplained429s} of ${UNEXPLAINED_429S_FOR_LIMIT} at about ${run.unexplained429Live} live calls before the limit is lowered)`,
  };
}
