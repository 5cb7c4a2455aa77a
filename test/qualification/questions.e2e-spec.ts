import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CallRoundedClient } from '../../src/callrounded';
import { QuestionsService } from '../../src/qualification/questions.service';
import { HAIR_SALON_FR_SCENARIO, type SimulatorHandle } from '../../src/simulator';
import { TEST_API_KEY } from '../kit/app';
import { startStack, type Stack } from '../kit/stack';

const AGENT = HAIR_SALON_FR_SCENARIO.agents[0];
const NAMES = AGENT.post_call_questions.map((q) => q.name);

describe('post-call questions from the platform, and rules checked against them', () => {
  let stack: Stack;
  let sim: SimulatorHandle;
  let app: INestApplication;

  beforeAll(async () => {
    stack = await startStack({ role: 'api' });
    ({ sim, app } = stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('fetches the agent questions from the per-agent path, else the unscoped one', async () => {
    const questions = app.get(QuestionsService);
    sim.setOptions({ questionRoutes: 'per_agent' });
    const perAgent = await questions.fetchQuestions(AGENT.id);
    expect(perAgent?.map((q) => [q.name, q.type])).toEqual(
      AGENT.post_call_questions.map((q) => [q.name, q.type]),
    );
    expect(perAgent?.[2].options?.map((o) => o.value)).toContain('Planity');

    sim.setOptions({ questionRoutes: 'unscoped' });
    expect((await questions.fetchQuestions(AGENT.id))?.map((q) => q.name)).toEqual(NAMES);
    sim.setOptions({ questionRoutes: 'both' });
  });

  it('answers null when the platform cannot be reached', async () => {
    const client = new CallRoundedClient({
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: 'k',
      getRetries: 0,
      timeoutMs: 500,
    });
    expect(await new QuestionsService(client).fetchQuestions(AGENT.id)).toBeNull();
    await client.close();
  });

  it('a campaign whose rules name an unknown question, or compare it wrongly, is refused with the field', async () => {
    const create = (qualification: object) =>
      request(app.getHttpServer())
        .post('/v1/campaigns')
        .set('X-Api-Key', TEST_API_KEY)
        .send({
          name: 'Règles',
          agent_id: AGENT.id,
          from_numbers: ['+33912345678'],
          qualification,
        });

    const unknown = await create({
      match: 'all',
      rules: [{ question: 'intrested', equals: true }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      {
        field: 'qualification.rules[0].question',
        message: expect.stringContaining(NAMES.join(', ')),
      },
    ]);

    const wrong = await create({
      match: 'any',
      rules: [
        { question: 'interested', equals: true },
        { question: 'commentaire', gte: 2 },
        { question: 'logiciel_actuel', in: ['Planity', 'Doctolib'] },
      ],
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details.map((d: { field: string }) => d.field)).toEqual([
      'qualification.rules[1].gte',
      'qualification.rules[2].in',
    ]);

    const good = await create({
      match: 'all',
      rules: [
        { question: 'interested', equals: true },
        { question: 'nb_employes', gte: 3 },
        { question: 'services', in: ['Coloration', 'Soins'] },
      ],
    });
    expect(good.status).toBe(201);
    expect(good.body.questions.map((q: { name: string }) => q.name)).toEqual(NAMES);
  });
});
