import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CallRoundedClient,
  type CallRoundedLogger,
} from '../../src/callrounded/callrounded.client';
import {
  AmbiguousCallStartError,
  CallRoundedAuthError,
  CallRoundedClientError,
  CallRoundedError,
  CallRoundedNetworkError,
  CallRoundedNotFoundError,
  CallRoundedRateLimitError,
  CallRoundedServerError,
  CallRoundedValidationError,
} from '../../src/callrounded/callrounded.errors';
import { startSimulator } from '../../src/simulator/simulator';
import type { SimulatorHandle } from '../../src/simulator/simulator.types';
import { freePort } from '../kit/ports';
import { FROM_NUMBER, SALON_AGENT_ID } from '../kit/simulator';
import { leadNumber } from '../kit/factories';

const SECRET = 'sk-live-7f3e9a1b2c4d-DO-NOT-LEAK';
const START = 'POST /calls/phone';
const GET_CALL = 'GET /calls/:id';

/** Whatever the test does with an error, the key must not show. */
function expectNoKey(value: unknown): void {
  expect(JSON.stringify(value) ?? '').not.toContain(SECRET);
  expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(SECRET);
  if (value instanceof Error) {
    expect(String(value.stack)).not.toContain(SECRET);
    expect(value.message).not.toContain(SECRET);
  }
}

async function caught(promise: Promise<unknown>): Promise<CallRoundedError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(CallRoundedError);
    expectNoKey(err);
    return err as CallRoundedError;
  }
  throw new Error('expected a rejection');
}

describe('CallRoundedClient errors and retries', () => {
  let sim: SimulatorHandle;
  let client: CallRoundedClient;
  const warnings: { message: string; context?: Record<string, unknown> }[] = [];
  const logger: CallRoundedLogger = {
    warn: (message, context) => warnings.push({ message, context }),
  };
  const startRequest = (i: number) => ({
    from_number: FROM_NUMBER,
    to_number: leadNumber(i),
    agent_id: SALON_AGENT_ID,
  });

  beforeAll(async () => {
    sim = await startSimulator({
      apiKey: SECRET,
      durations: { talkMinMs: 60_000, talkMaxMs: 60_000 },
    });
    client = new CallRoundedClient({
      baseUrl: sim.url,
      apiKey: SECRET,
      timeoutMs: 500,
      getRetries: 3,
      backoffBaseMs: 10,
      maxBackoffMs: 50,
      logger,
    });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.clearCalls();
    sim.resetStats();
    sim.setFaults({ failNext: undefined, postNoAnswerRate: 0, errorRate: 0 });
    sim.setOptions({ concurrencyLimit: undefined });
    warnings.length = 0;
  });

  it('turns a 401 envelope into an auth error, never retried', async () => {
    const wrong = new CallRoundedClient({
      baseUrl: sim.url,
      apiKey: 'wrong-key',
      backoffBaseMs: 1,
    });
    const err = await caught(wrong.getAgent(SALON_AGENT_ID));
    await wrong.close();
    expect(err).toBeInstanceOf(CallRoundedAuthError);
    expect(err).toMatchObject({ kind: 'auth', httpStatus: 401, retryable: false });
    expect(sim.requestCount('GET /agents/:id')).toBe(1);
  });

  it('turns 404s into not-found errors', async () => {
    const err = await caught(client.getCall('8f14e45f-ceea-4e7a-9b1d-000000000000'));
    expect(err).toBeInstanceOf(CallRoundedNotFoundError);
    expect(err).toMatchObject({
      kind: 'not_found',
      httpStatus: 404,
      path: '/calls/8f14e45f-ceea-4e7a-9b1d-000000000000',
    });
    expect(sim.requestCount(GET_CALL)).toBe(1);
  });

  it('turns a 400 into a validation error with field details; no call, not ambiguous', async () => {
    const err = await caught(
      client.startPhoneCall({
        from_number: '+33600000000',
        to_number: '06',
        agent_id: SALON_AGENT_ID,
      }),
    );
    expect(err).toBeInstanceOf(CallRoundedValidationError);
    expect(err).not.toBeInstanceOf(AmbiguousCallStartError);
    expect(err.httpStatus).toBe(400);
    expect(err.details.map((d) => d.field).sort()).toEqual(['from_number', 'to_number']);
    expect(err.details[0].message).toEqual(expect.any(String));
    expect(sim.requestCount(START)).toBe(1);
    expect(sim.calls()).toHaveLength(0);
  });

  it('turns a 405 into a client error, never retried', async () => {
    sim.setFaults({ failNext: { status: 405, count: 1, route: GET_CALL } });
    const err = await caught(client.getCall('any'));
    expect(err).toBeInstanceOf(CallRoundedClientError);
    expect(err).toMatchObject({ kind: 'client', httpStatus: 405 });
    expect(sim.requestCount(GET_CALL)).toBe(1);
  });

  it('waits out a 429 Retry-After on a GET, then succeeds', async () => {
    const { call_id } = await client.startPhoneCall(startRequest(1));
    sim.setFaults({ failNext: { status: 429, count: 1, route: GET_CALL, retryAfterSeconds: 1 } });
    const started = Date.now();
    const call = await client.getCall(call_id);
    const waited = Date.now() - started;
    expect(call.id).toBe(call_id);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2500);
    expect(sim.requestCount(GET_CALL)).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].context).toMatchObject({ kind: 'rate_limited', httpStatus: 429 });
    expectNoKey(warnings);
  });

  it('retries GETs on 5xx with backoff, and gives up after getRetries', async () => {
    sim.setFaults({ failNext: { status: 503, count: 2, route: 'GET /phone-numbers' } });
    const page = await client.listPhoneNumbers({ mode: 'page', page: 1 });
    expect(page.total_items).toBe(3);
    expect(sim.requestCount('GET /phone-numbers')).toBe(3);

    sim.setFaults({ failNext: { status: 500, count: 10, route: 'GET /phone-numbers' } });
    const err = await caught(client.listPhoneNumbers({ mode: 'cursor' }));
    expect(err).toBeInstanceOf(CallRoundedServerError);
    expect(sim.requestCount('GET /phone-numbers')).toBe(3 + 4);
  });

  it('retries PATCH and terminate, which are idempotent', async () => {
    const { call_id } = await client.startPhoneCall(startRequest(2));
    sim.setFaults({ failNext: { status: 502, count: 1, route: 'PATCH /calls/:id' } });
    await client.updateCallMetadata(call_id, { lead_id: 'L1' });
    expect(sim.requestCount('PATCH /calls/:id')).toBe(2);
    sim.setFaults({ failNext: { status: 500, count: 1, route: 'POST /calls/:id/terminate' } });
    await client.terminateCall(call_id);
    expect(sim.requestCount('POST /calls/:id/terminate')).toBe(2);
    expect(sim.liveCount()).toBe(0);
  });

  it('throws a 429 whose Retry-After is too long instead of sleeping on it', async () => {
    const impatient = new CallRoundedClient({
      baseUrl: sim.url,
      apiKey: SECRET,
      maxRetryAfterMs: 500,
    });
    sim.setFaults({
      failNext: { status: 429, count: 1, route: 'GET /agents/:id', retryAfterSeconds: 30 },
    });
    const err = await caught(impatient.getAgent(SALON_AGENT_ID));
    await impatient.close();
    expect(err).toBeInstanceOf(CallRoundedRateLimitError);
    expect(err.retryAfterMs).toBe(30_000);
    expect(sim.requestCount('GET /agents/:id')).toBe(1);
  });

  it('reports a POST whose answer never comes as ambiguous, and does not retry it', async () => {
    sim.setFaults({ postNoAnswerRate: 1, postNoAnswerMode: 'hang' });
    const started = Date.now();
    const err = await caught(client.startPhoneCall(startRequest(3)));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(AmbiguousCallStartError);
    const ambiguous = err as AmbiguousCallStartError;
    expect(ambiguous).toMatchObject({ kind: 'ambiguous', reason: 'timeout' });
    expect(ambiguous.request).toEqual(startRequest(3));
    expect(ambiguous.sentAt.getTime()).toBeLessThanOrEqual(Date.parse(sim.calls()[0].start_time));
    expect(sim.requestCount(START)).toBe(1);
    expect(sim.calls()).toHaveLength(1);
  });

  it('reports a connection reset after sending as ambiguous', async () => {
    sim.setFaults({ postNoAnswerRate: 1, postNoAnswerMode: 'destroy' });
    const err = await caught(client.startPhoneCall(startRequest(4)));
    expect(err).toMatchObject({ kind: 'ambiguous', reason: 'network' });
    expect(sim.requestCount(START)).toBe(1);
    expect(sim.calls()).toHaveLength(1);
  });

  it.each([true, false])(
    'reports a 5xx on POST as ambiguous (call created: %s), never retried',
    async (createsCall) => {
      sim.setFaults({ failNext: { status: 500, count: 1, route: START, createsCall } });
      const err = await caught(client.startPhoneCall(startRequest(5)));
      expect(err).toBeInstanceOf(AmbiguousCallStartError);
      expect(err).toMatchObject({ reason: 'server', httpStatus: 500 });
      expect(sim.requestCount(START)).toBe(1);
      expect(sim.calls()).toHaveLength(createsCall ? 1 : 0);
    },
  );

  it('reports the concurrency 429 on POST as a clean rate-limit error, not retried', async () => {
    sim.setOptions({ concurrencyLimit: 1 });
    await client.startPhoneCall(startRequest(6));
    const err = await caught(client.startPhoneCall(startRequest(7)));
    expect(err).toBeInstanceOf(CallRoundedRateLimitError);
    expect(err).not.toBeInstanceOf(AmbiguousCallStartError);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(sim.requestCount(START)).toBe(2);
    expect(sim.calls()).toHaveLength(1);
  });

  it('reports a refused connection on POST as a clean network error', async () => {
    const port = await freePort();
    const nowhere = new CallRoundedClient({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: SECRET,
    });
    const err = await caught(nowhere.startPhoneCall(startRequest(8)));
    await nowhere.close();
    expect(err).toBeInstanceOf(CallRoundedNetworkError);
    expect(err).not.toBeInstanceOf(AmbiguousCallStartError);
    expect(err.causeCode).toBe('ECONNREFUSED');
  });

  it('keeps the key out of the client object itself', () => {
    expectNoKey(client);
  });
});
