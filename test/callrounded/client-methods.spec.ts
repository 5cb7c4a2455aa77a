import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CallRoundedClient } from '../../src/callrounded/callrounded.client';
import { classifyCallStatus } from '../../src/callrounded/call-status';
import type { PlatformCall } from '../../src/callrounded/callrounded.types';
import { startSimulator } from '../../src/simulator/simulator';
import type { SimulatorHandle } from '../../src/simulator/simulator.types';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator/scenarios/hair-salon.fr';
import { FOLLOW_UP_AGENT_ID, FROM_NUMBER, SALON_AGENT_ID } from '../kit/simulator';
import { leadNumber } from '../kit/factories';
import { FakeClock } from '../kit/clock';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('CallRoundedClient against the simulator', () => {
  const clock = new FakeClock();
  let sim: SimulatorHandle;
  let client: CallRoundedClient;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      seed: 3,
      now: () => clock.nowMs(),
      scenario: { ...HAIR_SALON_FR_SCENARIO, outcomes: { completed: 1, missed: 0, failed: 0 } },
      durations: { ringMs: 1000, talkMinMs: 30_000, talkMaxMs: 30_000 },
    });
    client = new CallRoundedClient({ baseUrl: sim.url, apiKey: sim.apiKey });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('starts a call and follows it created → ongoing → completed with answers', async () => {
    const { call_id } = await client.startPhoneCall({
      from_number: FROM_NUMBER,
      to_number: leadNumber(1),
      agent_id: SALON_AGENT_ID,
      dynamic_variables_values: { prenom: 'Marc', nom_du_salon: 'Studio M', ville: 'Lyon' },
    });
    expect(sim.calls()).toEqual([
      expect.objectContaining({
        id: call_id,
        to_number: leadNumber(1),
        dynamic_variables_values: { prenom: 'Marc', nom_du_salon: 'Studio M', ville: 'Lyon' },
      }),
    ]);

    const statuses: string[] = [];
    let call: PlatformCall = await client.getCall(call_id);
    statuses.push(call.status);
    clock.advance(1000);
    statuses.push((await client.getCall(call_id)).status);
    clock.advance(30_000);
    call = await client.getCall(call_id);
    statuses.push(call.status);

    expect(statuses).toEqual(['created', 'ongoing', 'completed']);
    expect(call).toMatchObject({ duration_seconds: 30, cost: 0.06, end_time: expect.any(String) });
    const interested = call.post_call_answers?.find((a) => a.question.name === 'interested');
    expect(interested?.question.question_type).toBe('boolean');
    expect(call.variable_values?.find((v) => v.name === 'ville')?.value).toBe('Lyon');
  });

  it('merges and overrides metadata, and terminates calls', async () => {
    const { call_id } = await client.startPhoneCall({
      from_number: FROM_NUMBER,
      to_number: leadNumber(2),
      agent_id: SALON_AGENT_ID,
    });
    await client.updateCallMetadata(call_id, { lead_id: 'L-1', campaign_id: 'C-1' });
    const merged = await client.updateCallMetadata(call_id, { attempt: 1 });
    expect(merged.metadata).toEqual({ lead_id: 'L-1', campaign_id: 'C-1', attempt: 1 });
    const replaced = await client.updateCallMetadata(call_id, { only: true }, true);
    expect(replaced.metadata).toEqual({ only: true });

    clock.advance(2000);
    await client.terminateCall(call_id);
    await client.terminateCall(call_id); // already ended: still fine
    const call = await client.getCall(call_id);
    expect(call.status).toBe('completed');
    expect(call.duration_seconds).toBe(1);
  });

  describe('listing', () => {
    const ids: string[] = [];
    let since: Date;

    beforeAll(async () => {
      sim.clearCalls();
      since = new Date(clock.nowMs());
      clock.advance(1);
      for (let i = 0; i < 23; i++) {
        const agent = i % 4 === 0 ? FOLLOW_UP_AGENT_ID : SALON_AGENT_ID;
        const started = await client.startPhoneCall({
          from_number: FROM_NUMBER,
          to_number: leadNumber(100 + (i % 10)),
          agent_id: agent,
        });
        ids.push(started.call_id);
        clock.advance(500);
      }
    });

    it('reads one cursor page with next_cursor, then the rest', async () => {
      const first = await client.listCalls({ limit: 10 }, { mode: 'cursor' });
      expect(first.data.map((c) => c.id)).toEqual([...ids].reverse().slice(0, 10));
      expect(first.next_cursor).toBe(first.data[9].start_time);
      const second = await client.listCalls(
        { limit: 10 },
        { mode: 'cursor', cursor: first.next_cursor },
      );
      expect(second.data.map((c) => c.id)).toEqual([...ids].reverse().slice(10, 20));
    });

    it('reads page mode totals', async () => {
      const page = await client.listCalls({ limit: 10 }, { mode: 'page', page: 3 });
      expect(page).toMatchObject({ current_page: 3, total_pages: 3, total_items: 23 });
      expect(page.data).toHaveLength(3);
      expect(page.next_cursor).toBeUndefined();
    });

    it.each(['cursor', 'page'] as const)(
      'iterates every call in %s mode without duplicates or gaps',
      async (mode) => {
        const all = await collect(client.iterateCalls({ limit: 7 }, mode));
        expect(all.map((c) => c.id)).toEqual([...ids].reverse());
        expect(sim.requestCount()).toBeGreaterThan(0);
      },
    );

    it('filters by agent, to_number and start-time window (Date or string)', async () => {
      const followUps = await collect(
        client.iterateCalls({ agent_id: FOLLOW_UP_AGENT_ID, limit: 2 }),
      );
      expect(followUps.map((c) => c.id).sort()).toEqual(ids.filter((_, i) => i % 4 === 0).sort());

      const toOne = await client.listCalls({ to_number: leadNumber(103), call_type: 'phone_call' });
      expect(toOne.data.map((c) => c.id)).toEqual([ids[13], ids[3]]);

      const windowed = await client.listCalls({
        start_time_gt: since,
        start_time_lt: new Date(since.getTime() + 1 + 500 * 5).toISOString(),
      });
      expect(windowed.data.map((c) => c.id)).toEqual(ids.slice(0, 5).reverse());
    });
  });

  it('gets the agent with its variables, and its post-call questions', async () => {
    const agent = await client.getAgent(SALON_AGENT_ID);
    expect(agent).toMatchObject({ id: SALON_AGENT_ID, language: 'fr' });
    expect(agent.variables.map((v) => v.name)).toEqual(
      expect.arrayContaining([
        'from_number',
        'to_number',
        'call_id',
        'call_start_time',
        'nom_du_salon',
      ]),
    );
    const before = sim.requestCount('GET /post-call-questions');
    const questions = await client.listPostCallQuestions(SALON_AGENT_ID);
    expect(questions.map((q) => `${q.name}:${q.type}`)).toEqual([
      'interested:boolean',
      'nb_employes:number',
      'logiciel_actuel:single_choice',
      'services:multiple_choice',
      'rappel_souhaite:boolean',
      'commentaire:text',
    ]);
    expect(sim.requestCount('GET /post-call-questions')).toBe(before);
  });

  it('lists phone numbers a page at a time and all of them by iteration', async () => {
    const page = await client.listPhoneNumbers({ mode: 'page', page: 1 }, 2);
    expect(page).toMatchObject({ current_page: 1, total_pages: 2, total_items: 3 });
    const cursorPage = await client.listPhoneNumbers({ mode: 'cursor' }, 2);
    expect(cursorPage.next_cursor).toEqual(expect.any(String));
    for (const mode of ['cursor', 'page'] as const) {
      const numbers = await collect(client.iteratePhoneNumbers(mode));
      expect(numbers.map((n) => n.number).sort()).toEqual(
        ['+33187654321', '+33912345678', '+33912345679'].sort(),
      );
    }
  });
});

describe('CallRoundedClient tolerance', () => {
  it('falls back to the unscoped post-call-questions path and filters by agent', async () => {
    const sim = await startSimulator({ questionRoutes: 'unscoped' });
    const client = new CallRoundedClient({ baseUrl: sim.url, apiKey: sim.apiKey });
    try {
      const questions = await client.listPostCallQuestions(FOLLOW_UP_AGENT_ID);
      expect(questions.map((q) => q.name)).toEqual(['rdv_pris']);
      expect(sim.requestCount('GET /agents/:id/post-call-questions')).toBe(1);
      expect(sim.requestCount('GET /post-call-questions')).toBe(1);
    } finally {
      await client.close();
      await sim.close();
    }
  });

  it('passes an unknown status through untouched', async () => {
    const clock = new FakeClock();
    const sim = await startSimulator({
      now: () => clock.nowMs(),
      scenario: {
        ...HAIR_SALON_FR_SCENARIO,
        outcomes: { completed: 0, missed: 0, failed: 0, unknown: 1 },
        unknown_status: 'transferred_to_human',
      },
    });
    const client = new CallRoundedClient({ baseUrl: sim.url, apiKey: sim.apiKey });
    try {
      const { call_id } = await client.startPhoneCall({
        from_number: FROM_NUMBER,
        to_number: leadNumber(9),
        agent_id: SALON_AGENT_ID,
      });
      clock.advance(60_000);
      const call = await client.getCall(call_id);
      expect(call.status).toBe('transferred_to_human');
      expect(classifyCallStatus(call.status)).toBe('unrecognised');
      const listed = await client.listCalls({}, { mode: 'cursor' });
      expect(listed.data[0].status).toBe('transferred_to_human');
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
