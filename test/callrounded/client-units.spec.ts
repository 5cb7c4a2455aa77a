import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { CallRoundedClient } from '../../src/callrounded/callrounded.client';
import { classifyCallStatus } from '../../src/callrounded/call-status';
import {
  AmbiguousCallStartError,
  CallRoundedError,
  CallRoundedValidationError,
} from '../../src/callrounded/callrounded.errors';
import type { FetchLike } from '../../src/callrounded/http-transport';
import { computeRetryDelay, parseRetryAfter } from '../../src/callrounded/retry-policy';

const KEY = 'unit-test-key-0123456789';

interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A fetch double that answers from a script and records what was asked. */
function scriptedFetch(answers: Scripted[]) {
  const requests: {
    url: string;
    method: string;
    headers: Record<string, string>;
    body?: string;
  }[] = [];
  const fetchImpl: FetchLike = (url, init) => {
    requests.push({ url, method: init.method, headers: init.headers, body: init.body });
    const answer = answers.shift() ?? { status: 500, body: 'script exhausted' };
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return Promise.resolve({
      status: answer.status,
      headers: { get: (name: string) => answer.headers?.[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(text),
    });
  };
  return { fetchImpl, requests };
}

function clientWith(answers: Scripted[]) {
  const script = scriptedFetch(answers);
  const client = new CallRoundedClient({
    baseUrl: 'https://api.example.test/v1/',
    apiKey: KEY,
    fetchImpl: script.fetchImpl,
    backoffBaseMs: 1,
    maxBackoffMs: 2,
  });
  return { client, requests: script.requests };
}

const ok = (data: unknown, extra: Record<string, unknown> = {}): Scripted => ({
  status: 200,
  body: { message: 'ok', data, error: null, status: 200, ...extra },
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter(' 2.5 ')).toBe(2500);
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-3')).toBeUndefined();
  });
});

describe('computeRetryDelay', () => {
  const settings = { backoffBaseMs: 100, maxBackoffMs: 1000 };

  it('grows exponentially with jitter, capped', () => {
    expect(computeRetryDelay(0, settings, undefined, () => 0)).toBe(50);
    expect(computeRetryDelay(0, settings, undefined, () => 1)).toBe(100);
    expect(computeRetryDelay(3, settings, undefined, () => 1)).toBe(800);
    expect(computeRetryDelay(10, settings, undefined, () => 1)).toBe(1000);
  });

  it('never waits less than Retry-After', () => {
    for (const r of [0, 0.5, 1]) {
      expect(computeRetryDelay(0, settings, 3000, () => r)).toBeGreaterThanOrEqual(3000);
      expect(computeRetryDelay(0, settings, 3000, () => r)).toBeLessThanOrEqual(3100);
    }
  });
});

describe('classifyCallStatus', () => {
  it('knows in-progress and terminal statuses, and never throws on others', () => {
    expect(classifyCallStatus('created')).toBe('in_progress');
    expect(classifyCallStatus('ONGOING')).toBe('in_progress');
    expect(classifyCallStatus('completed')).toBe('terminal');
    expect(classifyCallStatus('missed')).toBe('terminal');
    expect(classifyCallStatus('voicemail')).toBe('unrecognised');
    expect(classifyCallStatus('voicemail', ['Voicemail'])).toBe('terminal');
    expect(classifyCallStatus(undefined)).toBe('unrecognised');
  });
});

describe('CallRoundedClient request shaping', () => {
  it('sends the key header, JSON body, and use_cursor explicitly in both modes', async () => {
    const { client, requests } = clientWith([
      { status: 201, body: { message: 'ok', data: { call_id: 'c1' }, status: 201 } },
      ok([], { next_cursor: null }),
      ok([], { current_page: 2, total_pages: 2, total_items: 60 }),
    ]);
    await client.startPhoneCall({
      from_number: '+33912345678',
      to_number: '+33611111111',
      agent_id: 'a',
    });
    const cursorPage = await client.listCalls(
      { agent_id: 'a', start_time_gt: new Date('2026-11-21T10:00:00Z'), to_number: '+33611111111' },
      { mode: 'cursor' },
    );
    const page = await client.listCalls({ limit: 30 }, { mode: 'page', page: 2 });

    expect(requests[0]).toMatchObject({
      url: 'https://api.example.test/v1/calls/phone',
      method: 'POST',
      headers: expect.objectContaining({ 'X-Api-Key': KEY, 'Content-Type': 'application/json' }),
    });
    expect(JSON.parse(requests[0].body as string)).toEqual({
      from_number: '+33912345678',
      to_number: '+33611111111',
      agent_id: 'a',
    });
    const q1 = new URL(requests[1].url).searchParams;
    expect(q1.get('use_cursor')).toBe('true');
    expect(q1.get('start_time_gt')).toBe('2026-11-21T10:00:00.000Z');
    expect(q1.get('to_number')).toBe('+33611111111');
    expect(cursorPage.next_cursor).toBeUndefined();
    const q2 = new URL(requests[2].url).searchParams;
    expect(q2.get('use_cursor')).toBe('false');
    expect(q2.get('page')).toBe('2');
    expect(page).toEqual({ data: [], current_page: 2, total_pages: 2, total_items: 60 });
  });

  it('stops iterating when a cursor does not move', async () => {
    const call = (id: string) => ({ id, status: 'completed', start_time: '2026-11-21T10:00:00Z' });
    const { client, requests } = clientWith([
      ok([call('a'), call('b')], { next_cursor: '2026-11-21T10:00:00Z' }),
      ok([call('b'), call('c')], { next_cursor: '2026-11-21T10:00:00Z' }),
    ]);
    const ids: string[] = [];
    for await (const c of client.iterateCalls({}, 'cursor')) ids.push(c.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(requests).toHaveLength(2);
  });

  it('keeps an unknown or missing status as a string', async () => {
    const { client } = clientWith([ok({ id: 'x', status: 'on_hold_new' }), ok({ id: 'y' })]);
    expect((await client.getCall('x')).status).toBe('on_hold_new');
    expect((await client.getCall('y')).status).toBe('');
  });

  it('treats a 2xx without call_id on POST as ambiguous', async () => {
    const { client } = clientWith([
      { status: 201, body: { message: 'ok', data: {}, status: 201 } },
    ]);
    await expect(
      client.startPhoneCall({
        from_number: '+33912345678',
        to_number: '+33611111111',
        agent_id: 'a',
      }),
    ).rejects.toMatchObject({ kind: 'ambiguous', reason: 'invalid_response' });
  });

  it('treats a non-JSON 502 from a proxy as a retryable server error', async () => {
    const { client, requests } = clientWith([
      { status: 502, body: '<html>Bad gateway</html>' },
      ok({ id: 'a1', name: 'Agent', variables: null }),
    ]);
    const agent = await client.getAgent('a1');
    expect(agent.variables).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  it('reads FastAPI-style details as well as the documented ones', async () => {
    const { client } = clientWith([
      {
        status: 422,
        body: {
          detail: 'x',
          error: { message: 'Bad', details: [{ loc: ['body', 'to_number'], msg: 'too short' }] },
        },
      },
    ]);
    const err = await client.getCall('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallRoundedValidationError);
    expect((err as CallRoundedError).details).toEqual([
      { field: 'body.to_number', message: 'too short' },
    ]);
  });

  it('does not follow redirects (they would carry the key elsewhere)', async () => {
    const { client } = clientWith([
      { status: 302, body: '', headers: { location: 'https://evil.test/' } },
    ]);
    await expect(client.getCall('x')).rejects.toMatchObject({ kind: 'client', httpStatus: 302 });
  });

  it('redacts the key if the platform ever echoes it', async () => {
    const { client } = clientWith([
      {
        status: 400,
        body: { error: { message: `bad key ${KEY}`, details: [{ field: 'x', message: KEY }] } },
      },
    ]);
    const err = await client
      .startPhoneCall({ from_number: '+33912345678', to_number: '+33611111111', agent_id: 'a' })
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(AmbiguousCallStartError);
    expect(JSON.stringify(err)).not.toContain(KEY);
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(KEY);
  });

  it('wraps a thrown fetch error without keeping the raw error', async () => {
    const leaky: FetchLike = (_url, init) => {
      const err = new TypeError('fetch failed', {
        cause: Object.assign(new Error(`socket hang up (${init.headers['X-Api-Key']})`), {
          code: 'ECONNRESET',
          headers: init.headers,
        }),
      });
      return Promise.reject(err);
    };
    const client = new CallRoundedClient({
      baseUrl: 'http://x.test/v1',
      apiKey: KEY,
      fetchImpl: leaky,
    });
    const err = await client
      .startPhoneCall({ from_number: '+33912345678', to_number: '+33611111111', agent_id: 'a' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'ambiguous', reason: 'network', causeCode: 'ECONNRESET' });
    expect(JSON.stringify(err)).not.toContain(KEY);
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect((err as Error).stack).not.toContain(KEY);
  });
});
