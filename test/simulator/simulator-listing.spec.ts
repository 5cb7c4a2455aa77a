import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator } from '../../src/simulator/simulator';
import type { SimulatorHandle } from '../../src/simulator/simulator.types';
import {
  FOLLOW_UP_AGENT_ID,
  FROM_NUMBER,
  OTHER_FROM_NUMBER,
  raw,
  SALON_AGENT_ID,
} from '../kit/simulator';
import { leadNumber } from '../kit/factories';
import { FakeClock } from '../kit/clock';

/** 250 calls, one per second: every third from the follow-up agent, every fifth from another number. */
describe('simulator GET /calls', () => {
  const clock = new FakeClock();
  let sim: SimulatorHandle;
  const created: { id: string; at: number; agent: string; from: string; to: string }[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock.nowMs() });
    for (let i = 0; i < 250; i++) {
      const agent = i % 3 === 0 ? FOLLOW_UP_AGENT_ID : SALON_AGENT_ID;
      const from = i % 5 === 0 ? OTHER_FROM_NUMBER : FROM_NUMBER;
      const to = leadNumber(i % 100);
      const answer = await raw(sim, 'POST', '/calls/phone', {
        body: { from_number: from, to_number: to, agent_id: agent },
      });
      created.push({ id: answer.json.data.call_id, at: clock.nowMs(), agent, from, to });
      clock.advance(1000);
    }
  });
  afterAll(() => sim.close());

  const ids = (answer: { json: { data: { id: string }[] } }) => answer.json.data.map((c) => c.id);
  const newestFirst = () => [...created].reverse();

  it('walks every call with the cursor, newest first, without duplicates or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const query = `/calls?use_cursor=true&limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await raw(sim, 'GET', query);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ status: 200, error: null });
      seen.push(...ids(answer));
      pages++;
      cursor = answer.json.next_cursor;
      if (!cursor) {
        expect('next_cursor' in answer.json).toBe(false);
        break;
      }
      expect(answer.json.data[answer.json.data.length - 1].start_time).toBe(cursor);
    }
    expect(pages).toBe(7);
    expect(seen).toEqual(newestFirst().map((c) => c.id));
  });

  it('pages with current_page, total_pages and total_items', async () => {
    const first = await raw(sim, 'GET', '/calls?use_cursor=false&limit=100&page=1');
    expect(first.json).toMatchObject({ current_page: 1, total_pages: 3, total_items: 250 });
    expect('next_cursor' in first.json).toBe(false);
    const third = await raw(sim, 'GET', '/calls?use_cursor=false&limit=100&page=3');
    expect(ids(third)).toEqual(
      newestFirst()
        .slice(200)
        .map((c) => c.id),
    );
    const beyond = await raw(sim, 'GET', '/calls?use_cursor=false&limit=100&page=4');
    expect(beyond.json.data).toEqual([]);
  });

  it('defaults to 50 items', async () => {
    const answer = await raw(sim, 'GET', '/calls?use_cursor=false');
    expect(answer.json.data).toHaveLength(50);
  });

  it('filters by agent, from and to numbers, call type and strict start-time bounds', async () => {
    const byAgent = await raw(
      sim,
      'GET',
      `/calls?use_cursor=false&limit=1000&agent_id=${FOLLOW_UP_AGENT_ID}`,
    );
    expect(ids(byAgent)).toEqual(
      newestFirst()
        .filter((c) => c.agent === FOLLOW_UP_AGENT_ID)
        .map((c) => c.id),
    );

    const from = encodeURIComponent(OTHER_FROM_NUMBER);
    const byFrom = await raw(sim, 'GET', `/calls?use_cursor=false&limit=1000&from_number=${from}`);
    expect(byFrom.json.total_items).toBe(50);

    const to = encodeURIComponent(leadNumber(7));
    const byTo = await raw(sim, 'GET', `/calls?use_cursor=true&limit=1000&to_number=${to}`);
    expect(ids(byTo)).toEqual(
      newestFirst()
        .filter((c) => c.to === leadNumber(7))
        .map((c) => c.id),
    );

    const web = await raw(sim, 'GET', '/calls?use_cursor=true&call_type=web_call');
    expect(web.json.data).toEqual([]);

    const gt = new Date(created[10].at).toISOString();
    const lt = new Date(created[20].at).toISOString();
    const window = await raw(
      sim,
      'GET',
      `/calls?use_cursor=true&start_time_gt=${encodeURIComponent(gt)}&start_time_lt=${encodeURIComponent(lt)}`,
    );
    expect(ids(window)).toEqual(
      created
        .slice(11, 20)
        .reverse()
        .map((c) => c.id),
    );
  });

  it('has no status filter: the parameter is ignored', async () => {
    const answer = await raw(sim, 'GET', '/calls?use_cursor=false&status=completed&limit=1000');
    expect(answer.json.total_items).toBe(250);
  });

  it('refuses bad parameters with field details', async () => {
    const tooMany = await raw(sim, 'GET', '/calls?limit=1001');
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.details).toEqual([{ field: 'limit', message: expect.any(String) }]);
    const badTime = await raw(sim, 'GET', '/calls?start_time_gt=yesterday&use_cursor=maybe');
    expect(badTime.status).toBe(400);
    expect(badTime.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'start_time_gt',
      'use_cursor',
    ]);
  });

  it('lists phone numbers in both pagination modes', async () => {
    const page = await raw(sim, 'GET', '/phone-numbers?use_cursor=false&limit=2');
    expect(page.json).toMatchObject({ current_page: 1, total_pages: 2, total_items: 3 });
    expect(page.json.data[0]).toMatchObject({ type: 'pstn', number: '+33187654321' });
    const first = await raw(sim, 'GET', '/phone-numbers?use_cursor=true&limit=2');
    expect(first.json.data).toHaveLength(2);
    const second = await raw(
      sim,
      'GET',
      `/phone-numbers?use_cursor=true&limit=2&cursor=${encodeURIComponent(first.json.next_cursor)}`,
    );
    expect(second.json.data.map((n: { number: string }) => n.number)).toEqual(['+33912345678']);
    expect(second.json.next_cursor).toBeUndefined();
  });
});

describe('simulator at bench scale', () => {
  it('keeps 10,000 calls and 1,000 live ones cheap to list', async () => {
    const clock = new FakeClock();
    const sim = await startSimulator({
      now: () => clock.nowMs(),
      durations: { ringMs: 1000, talkMinMs: 600_000, talkMaxMs: 600_000 },
    });
    try {
      // Through HTTP with keep-alive and 50 requests in flight, like a busy orchestrator.
      const total = 10_000;
      let next = 0;
      const worker = async () => {
        while (next < total) {
          const i = next++;
          if (i % 1000 === 0) clock.advance(700_000); // ends the previous thousand
          const answer = await raw(sim, 'POST', '/calls/phone', {
            body: { from_number: FROM_NUMBER, to_number: leadNumber(i), agent_id: SALON_AGENT_ID },
          });
          if (answer.status !== 201) throw new Error(`unexpected ${answer.status}`);
        }
      };
      await Promise.all(Array.from({ length: 50 }, worker));
      expect(sim.calls()).toHaveLength(total);
      expect(sim.liveCount()).toBeGreaterThan(0);
      expect(sim.maxLiveObserved()).toBeLessThanOrEqual(1000 + 50);

      const started = performance.now();
      for (let i = 0; i < 20; i++) {
        const answer = await raw(sim, 'GET', '/calls?use_cursor=false&limit=1000&page=5');
        expect(answer.json.total_items).toBe(total);
        const to = encodeURIComponent(leadNumber(4321));
        const one = await raw(
          sim,
          'GET',
          `/calls?use_cursor=true&to_number=${to}&agent_id=${SALON_AGENT_ID}`,
        );
        expect(one.json.data).toHaveLength(1);
      }
      // Not a speed target (bench/ measures those): a scan per call per request (quadratic) would
      // take minutes here, while a busy two-core machine takes a few seconds at most.
      expect(performance.now() - started).toBeLessThan(20_000);
    } finally {
      await sim.close();
    }
  });
});
