import { describe, expect, it } from '@jest/globals';
import {
  AmbiguousCallStartError,
  createCallRoundedError,
  type CallRoundedError,
} from '../../src/callrounded/callrounded.errors';
import type { PlatformCall } from '../../src/callrounded/callrounded.types';
import { toCallView } from '../../src/callrounded/voice-platform/call-view';
import { toStartError } from '../../src/callrounded/voice-platform/start-errors';
import {
  PlatformAuthRefused,
  PlatformUnreachable,
  StartAmbiguous,
  StartRateLimited,
  StartRejected,
} from '../../src/engine/platform/voice-platform.port';

const request = { from_number: '+33100000000', to_number: '+33600000000', agent_id: 'agent' };
const ambiguous = (cause: CallRoundedError) =>
  new AmbiguousCallStartError(cause, 'server', new Date(), request);

describe('CallRounded start errors in the engine port', () => {
  it('blames the lead only when every refused field is its own data', () => {
    const lead = toStartError(
      createCallRoundedError('validation', 'refused', {
        httpStatus: 422,
        details: [{ field: 'to_number', message: 'not a valid number' }],
      }),
    );
    expect(lead).toBeInstanceOf(StartRejected);
    expect(lead).toMatchObject({ leadAtFault: true, httpStatus: 422 });
    expect((lead as StartRejected).detail).toBe('to_number: not a valid number');

    const campaign = toStartError(
      createCallRoundedError('validation', 'refused', {
        httpStatus: 400,
        details: [
          { field: 'to_number', message: 'bad' },
          { field: 'from_number', message: 'not yours' },
        ],
      }),
    );
    expect(campaign).toMatchObject({ leadAtFault: false });
    const notFound = toStartError(createCallRoundedError('not_found', 'no such agent'));
    expect(notFound).toMatchObject({ leadAtFault: false, detail: 'no such agent' });
  });

  it('names the limit of a 429 and keeps its Retry-After', () => {
    const e = toStartError(
      createCallRoundedError('rate_limited', 'Concurrent call limit reached', {
        httpStatus: 429,
        retryAfterMs: 3000,
      }),
    );
    expect(e).toBeInstanceOf(StartRateLimited);
    expect(e).toMatchObject({ limitKind: 'concurrency', retryAfterMs: 3000 });
  });

  it('tells an unsent request, a refused key and a possibly created call apart', () => {
    expect(toStartError(createCallRoundedError('network', 'ECONNREFUSED'))).toBeInstanceOf(
      PlatformUnreachable,
    );
    expect(
      toStartError(createCallRoundedError('auth', 'bad key', { httpStatus: 401 })),
    ).toBeInstanceOf(PlatformAuthRefused);
    const server = toStartError(
      ambiguous(createCallRoundedError('server', 'boom', { httpStatus: 503 })),
    );
    expect(server).toBeInstanceOf(StartAmbiguous);
    expect(server).toMatchObject({ serverError: true });
    const timeout = toStartError(ambiguous(createCallRoundedError('timeout', 'slow')));
    expect(timeout).toMatchObject({ serverError: false });
    const odd = new TypeError('unexpected');
    expect(toStartError(odd)).toBe(odd);
  });
});

describe('CallRounded calls in the engine port', () => {
  const call = (over: Partial<PlatformCall>): PlatformCall => ({
    id: 'c1',
    agent_id: 'agent',
    status: 'completed',
    metadata: null,
    start_time: '2026-11-21T10:00:00Z',
    end_time: '2026-11-21T10:01:00Z',
    duration_seconds: 60,
    cost: 0.5,
    from_number: '+33100000000',
    to_number: '+33600000000',
    ...over,
  });

  it('maps configured extra statuses to their outcome and keeps the raw status', () => {
    const view = toCallView(call({ status: 'Voicemail' }), { voicemail: 'missed' });
    expect(view).toMatchObject({
      status: 'Voicemail',
      reading: { kind: 'terminal', outcome: 'missed' },
    });
    expect(toCallView(call({ status: 'ringing' }), {}).reading).toEqual({ kind: 'unrecognised' });
  });

  it('says when a completed call came without its post-call answers', () => {
    expect(toCallView(call({}), {}).answersLeftOut).toBe(true);
    expect(toCallView(call({ post_call_answers: [] }), {}).answersLeftOut).toBe(false);
    expect(toCallView(call({ status: 'ongoing' }), {}).answersLeftOut).toBe(false);
  });
});
