import { describe, expect, it } from '@jest/globals';
import { rateLimitKindOf } from '../../../src/callrounded/rate-limit-kind';
import {
  growthStartsFor,
  GROWTH_STARTS_MIN,
  judge429,
  type LimitState,
  UNEXPLAINED_429S_FOR_LIMIT,
} from '../../../src/engine/start/platform-limit';

const error = (platformMessage: string, details: { field: string; message: string }[] = []) => ({
  // As the client words it: our prefix, then the platform's message.
  message: `CallRounded POST /calls/phone failed (429): ${platformMessage}`,
  details,
});

describe('which limit a 429 names', () => {
  it.each([
    ['Concurrent call limit reached', 'concurrency'],
    ['Too many concurrent calls', 'concurrency'],
    ['Maximum concurrency exceeded for this organization', 'concurrency'],
    ['Too many simultaneous calls', 'concurrency'],
    ['Rate limit exceeded: too many active calls', 'concurrency'],
    ['Call rate limit reached', 'rate'],
    ['Rate limit exceeded', 'rate'],
    ['Too many calls per minute', 'rate'],
    ['Too many requests', 'unknown'],
    ['HTTP 429', 'unknown'],
  ])('%s → %s', (message, kind) => {
    expect(rateLimitKindOf(error(message))).toBe(kind);
  });

  it('reads the details as well as the message', () => {
    expect(
      rateLimitKindOf(
        error('Too many requests', [{ field: 'limit', message: 'concurrent calls' }]),
      ),
    ).toBe('concurrency');
  });
});

describe('the learned limit (AIMD)', () => {
  const none: LimitState = { observedLimit: null, unexplained429Live: null, unexplained429s: 0 };

  it('a concurrency 429 lowers the limit to the live count at once, never below 1', () => {
    expect(judge429(none, 'concurrency', 7)).toMatchObject({ observedLimit: 7, lowered: true });
    expect(judge429({ ...none, observedLimit: 12 }, 'concurrency', 5).observedLimit).toBe(5);
    expect(judge429(none, 'concurrency', 0).observedLimit).toBe(1);
    // Never raised by a 429: the lower of the two.
    expect(judge429({ ...none, observedLimit: 3 }, 'concurrency', 6).observedLimit).toBe(3);
  });

  it('a rate 429 leaves the limit alone, however many come', () => {
    let state: LimitState = none;
    for (let i = 0; i < 10; i++) state = judge429(state, 'rate', 4);
    expect(state.observedLimit).toBeNull();
    expect(judge429({ ...none, observedLimit: 9 }, 'rate', 2).observedLimit).toBe(9);
  });

  it('a lone unexplained 429 (a random one) leaves the limit alone', () => {
    const once = judge429(none, 'unknown', 6);
    expect(once).toMatchObject({ observedLimit: null, lowered: false, unexplained429s: 1 });
  });

  it('unexplained 429s repeated at one live count lower the limit to that count', () => {
    let state: LimitState = none;
    const levels = [5, 4, 5];
    for (const live of levels) state = judge429(state, 'unknown', live);
    expect(UNEXPLAINED_429S_FOR_LIMIT).toBe(levels.length);
    expect(state).toMatchObject({ observedLimit: 4, unexplained429Live: null });
  });

  it('unexplained 429s with no call live are no evidence: only a rate limit refuses then', () => {
    let state: LimitState = none;
    for (let i = 0; i < 5; i++) state = judge429(state, 'unknown', 0);
    expect(state).toMatchObject({ observedLimit: null, unexplained429s: 0 });
  });

  it('unexplained 429s at live counts far apart are no evidence: the run starts again', () => {
    let state: LimitState = none;
    for (const live of [9, 2, 9, 2, 9]) state = judge429(state, 'unknown', live);
    expect(state.observedLimit).toBeNull();
    expect(state.unexplained429s).toBe(1);
  });

  it('grows by one per max(8, limit) accepted starts', () => {
    expect(growthStartsFor(1)).toBe(GROWTH_STARTS_MIN);
    expect(growthStartsFor(40)).toBe(40);
  });
});
