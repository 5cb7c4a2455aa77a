import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator } from '../../src/simulator/simulator';
import type { SimulatorHandle } from '../../src/simulator/simulator.types';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator/scenarios/hair-salon.fr';
import type { SimScenario } from '../../src/simulator/scenario.types';
import { leadNumber } from '../kit/factories';
import { FakeClock } from '../kit/clock';
import { raw, SALON_AGENT_ID, startCallRaw } from '../kit/simulator';

const only = (outcome: 'completed' | 'missed' | 'failed' | 'unknown'): SimScenario => ({
  ...HAIR_SALON_FR_SCENARIO,
  outcomes: { completed: 0, missed: 0, failed: 0, unknown: 0, [outcome]: 1 },
});

describe('simulator call lifecycle (manual clock)', () => {
  const clock = new FakeClock();
  let sim: SimulatorHandle;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      seed: 7,
      now: () => clock.nowMs(),
      scenario: only('completed'),
      durations: { ringMs: 1000, talkMinMs: 60_000, talkMaxMs: 60_000 },
    });
  });
  afterAll(() => sim.close());

  it('goes created → ongoing → completed, then carries answers, cost and duration', async () => {
    const id = await startCallRaw(sim, leadNumber(1), {
      dynamic_variables_values: { prenom: 'Inès', nom_du_salon: 'Coiff’Inès', meta: { a: 1 } },
    });
    let call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
    expect(call).toMatchObject({ id, status: 'created', end_time: null, cost: null });
    expect(call.post_call_answers).toEqual([]);

    clock.advance(1000);
    call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
    expect(call.status).toBe('ongoing');
    expect(call.answer_type).toBe('human');

    clock.advance(60_000);
    call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
    expect(call).toMatchObject({
      status: 'completed',
      duration_seconds: 60,
      cost: 0.12,
      type: 'phone_call',
      direction: 'outbound',
      organization_id: HAIR_SALON_FR_SCENARIO.organization_id,
    });
    expect(Date.parse(call.end_time) - Date.parse(call.start_time)).toBe(61_000);
    const names = call.post_call_answers.map(
      (a: { question: { name: string } }) => a.question.name,
    );
    expect(names).toEqual([
      'interested',
      'nb_employes',
      'logiciel_actuel',
      'services',
      'rappel_souhaite',
      'commentaire',
    ]);
    for (const answer of call.post_call_answers) {
      expect(Object.keys(answer).sort()).toEqual(
        [
          'answer_boolean',
          'answer_number',
          'answer_text',
          'has_answer',
          'id',
          'question',
          'selected_options',
        ].sort(),
      );
      expect(Object.keys(answer.question).sort()).toEqual(
        ['description', 'id', 'is_optional', 'name', 'question_origin', 'question_type'].sort(),
      );
    }
    const dynamic = call.variable_values.find((v: { name: string }) => v.name === 'prenom');
    expect(dynamic.value).toBe('Inès');
    expect(call.transcript.length).toBeGreaterThan(0);
  });

  it('fills the answer field that matches the question type', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await startCallRaw(sim, leadNumber(100 + i)));
    clock.advance(120_000);
    const answers = [];
    for (const id of ids)
      answers.push(...(await raw(sim, 'GET', `/calls/${id}`)).json.data.post_call_answers);
    const answered = answers.filter((a) => a.has_answer);
    expect(answered.length).toBeGreaterThan(100);
    for (const a of answered) {
      switch (a.question.question_type) {
        case 'boolean':
          expect(typeof a.answer_boolean).toBe('boolean');
          break;
        case 'number':
          expect(a.answer_number).toBeGreaterThanOrEqual(1);
          expect(a.answer_number).toBeLessThanOrEqual(15);
          break;
        case 'text':
          expect(typeof a.answer_text).toBe('string');
          break;
        case 'single_choice':
          expect(a.selected_options).toHaveLength(1);
          break;
        case 'multiple_choice':
          expect(a.selected_options.length).toBeGreaterThanOrEqual(1);
          expect(a.selected_options[0].option).toEqual(
            expect.objectContaining({ id: expect.any(String), value: expect.any(String) }),
          );
          break;
      }
    }
    const unanswered = answers.filter((a) => !a.has_answer);
    for (const a of unanswered) {
      expect([a.answer_boolean, a.answer_number, a.answer_text]).toEqual([null, null, null]);
      expect(a.selected_options).toEqual([]);
    }
  });

  it('terminates a live call and accepts terminating an ended one', async () => {
    const id = await startCallRaw(sim, leadNumber(200));
    clock.advance(11_000);
    const first = await raw(sim, 'POST', `/calls/${id}/terminate`);
    expect(first.status).toBe(200);
    const call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
    expect(call).toMatchObject({ status: 'completed', duration_seconds: 10 });
    expect((await raw(sim, 'POST', `/calls/${id}/terminate`)).status).toBe(200);
    expect(sim.calls().find((c) => c.id === id)?.terminated).toBe(true);
  });

  it('tracks live calls and the exact maximum, and refuses starts above the concurrency cap', async () => {
    sim.clearCalls();
    sim.resetStats();
    sim.setOptions({ concurrencyLimit: 3 });
    for (let i = 0; i < 3; i++) await startCallRaw(sim, leadNumber(300 + i));
    expect(sim.liveCount()).toBe(3);

    const refused = await raw(sim, 'POST', '/calls/phone', {
      body: { from_number: '+33912345678', to_number: leadNumber(303), agent_id: SALON_AGENT_ID },
    });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ status: 429, type: 'generic_error' });
    expect(Number(refused.header('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(sim.calls()).toHaveLength(3);

    clock.advance(62_000);
    expect(sim.liveCount()).toBe(0);
    await startCallRaw(sim, leadNumber(303));
    expect(sim.liveCount()).toBe(1);
    expect(sim.maxLiveObserved()).toBe(3);
    sim.setOptions({ concurrencyLimit: undefined });
  });

  it('notices a number rung twice at once', async () => {
    sim.clearCalls();
    await startCallRaw(sim, leadNumber(350));
    await startCallRaw(sim, leadNumber(351));
    expect(sim.maxLivePerNumberObserved()).toBe(1);
    await startCallRaw(sim, leadNumber(350));
    expect(sim.maxLivePerNumberObserved()).toBe(2);
    clock.advance(62_000);
  });

  it('counts starts per minute and in any sliding window', async () => {
    sim.clearCalls();
    sim.resetStats();
    await startCallRaw(sim, leadNumber(400));
    clock.advance(30_000);
    await startCallRaw(sim, leadNumber(401));
    clock.advance(40_000);
    await startCallRaw(sim, leadNumber(402));
    expect(sim.maxStartsInWindow(60_000)).toBe(2);
    const perMinute = Object.values(sim.startsPerMinute()).reduce((a, b) => a + b, 0);
    expect(perMinute).toBe(3);
  });

  it('refuses starts above the per-minute cap with a Retry-After', async () => {
    sim.clearCalls();
    sim.setOptions({ startsPerMinuteLimit: 2 });
    await startCallRaw(sim, leadNumber(500));
    clock.advance(10_000);
    await startCallRaw(sim, leadNumber(501));
    const refused = await raw(sim, 'POST', '/calls/phone', {
      body: { from_number: '+33912345678', to_number: leadNumber(502), agent_id: SALON_AGENT_ID },
    });
    expect(refused.status).toBe(429);
    expect(refused.header('retry-after')).toBe('50');
    clock.advance(50_000);
    await startCallRaw(sim, leadNumber(502));
    sim.setOptions({ startsPerMinuteLimit: undefined });
  });

  it('hides a new call from GET /calls during the list lag, not from GET /calls/{id}', async () => {
    sim.clearCalls();
    sim.setFaults({ listLagMs: 5000 });
    const id = await startCallRaw(sim, leadNumber(600));
    const listed = await raw(
      sim,
      'GET',
      `/calls?use_cursor=true&to_number=%2B${leadNumber(600).slice(1)}`,
    );
    expect(listed.json.data).toEqual([]);
    expect((await raw(sim, 'GET', `/calls/${id}`)).status).toBe(200);
    clock.advance(5000);
    const later = await raw(
      sim,
      'GET',
      `/calls?use_cursor=true&to_number=%2B${leadNumber(600).slice(1)}`,
    );
    expect(later.json.data.map((c: { id: string }) => c.id)).toEqual([id]);
    sim.setFaults({ listLagMs: 0 });
  });
});

describe('simulator outcomes', () => {
  it.each([
    ['missed', 'missed'],
    ['failed', 'failed'],
    ['unknown', 'voicemail'],
  ] as const)('a %s outcome ends as "%s" without answers', async (outcome, status) => {
    const clock = new FakeClock();
    const sim = await startSimulator({ now: () => clock.nowMs(), scenario: only(outcome) });
    try {
      const id = await startCallRaw(sim, leadNumber(1));
      expect((await raw(sim, 'GET', `/calls/${id}`)).json.data.status).toBe('created');
      clock.advance(10_000);
      const call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
      expect(call).toMatchObject({ status, duration_seconds: 0, cost: 0, post_call_answers: [] });
      expect(sim.liveCount()).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it('is deterministic under a seed, with the default 70/20/10 mix', async () => {
    const run = async (seed: number) => {
      const clock = new FakeClock();
      const sim = await startSimulator({ now: () => clock.nowMs(), seed });
      try {
        const ids: string[] = [];
        for (let i = 0; i < 200; i++) ids.push(await startCallRaw(sim, leadNumber(i)));
        clock.advance(60_000);
        const out: string[] = [];
        for (const id of ids) {
          const call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
          out.push(`${id}:${call.status}:${JSON.stringify(call.post_call_answers)}`);
        }
        return out;
      } finally {
        await sim.close();
      }
    };
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const completed = a.filter((line) => line.includes(':completed:')).length;
    expect(completed).toBeGreaterThan(120);
    expect(completed).toBeLessThan(165);
  });
});

describe('simulator outcomes by number', () => {
  it("plays each scripted number's calls in order, the last repeating; other numbers draw", async () => {
    const clock = new FakeClock();
    const [scripted, other] = [leadNumber(1), leadNumber(2)];
    const scenario: SimScenario = {
      ...only('completed'),
      outcomes_by_number: { [scripted]: ['missed', 'busy', 'failed'] },
    };
    const sim = await startSimulator({ now: () => clock.nowMs(), scenario });
    try {
      const statuses: string[] = [];
      for (const to of [scripted, scripted, other, scripted, scripted]) {
        const id = await startCallRaw(sim, to);
        clock.advance(60_000);
        statuses.push((await raw(sim, 'GET', `/calls/${id}`)).json.data.status as string);
      }
      expect(statuses).toEqual(['missed', 'busy', 'completed', 'failed', 'failed']);
    } finally {
      await sim.close();
    }
  });

  it('rejects a script that is empty or names an in-progress status', async () => {
    for (const script of [[], ['ongoing']]) {
      await expect(
        startSimulator({ scenario: { ...only('completed'), outcomes_by_number: { x: script } } }),
      ).rejects.toThrow(/outcomes_by_number\.x/);
    }
  });
});

describe('simulator lifecycle in real time', () => {
  it('progresses on the wall clock with short durations', async () => {
    const sim = await startSimulator({
      scenario: only('completed'),
      durations: { ringMs: 100, talkMinMs: 200, talkMaxMs: 200 },
    });
    try {
      const id = await startCallRaw(sim, leadNumber(1));
      const seen = new Set<string>();
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        const status = (await raw(sim, 'GET', `/calls/${id}`)).json.data.status as string;
        seen.add(status);
        if (status === 'completed') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect([...seen]).toEqual(['created', 'ongoing', 'completed']);
    } finally {
      await sim.close();
    }
  });

  it('runs durations faster with timeScale', async () => {
    const sim = await startSimulator({
      scenario: only('completed'),
      timeScale: 0.001,
      durations: { ringMs: 10_000, talkMinMs: 120_000, talkMaxMs: 120_000 },
    });
    try {
      const id = await startCallRaw(sim, leadNumber(1));
      await new Promise((r) => setTimeout(r, 300));
      const call = (await raw(sim, 'GET', `/calls/${id}`)).json.data;
      expect(call).toMatchObject({ status: 'completed', duration_seconds: 120 });
    } finally {
      await sim.close();
    }
  });
});
