import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { minimalCampaign, startCampaignKit, type CampaignKit } from './support/campaign-kit';

/** The agent the README, the contract and the dashboard's form name. */
const DOCUMENTED_AGENT = '411b82c8-462a-4e1b-89bc-10ab3ce1ed29';
const UNKNOWN_AGENT = '6f1c1b0e-0000-4000-8000-000000000000';

let kit: CampaignKit;
beforeAll(async () => {
  kit = await startCampaignKit();
});
afterAll(async () => {
  await kit?.close();
});

describe('the campaign agent, checked against the platform', () => {
  it('accepts the documented agent with a rule on its `interested` question', async () => {
    const res = await kit.api().post(
      '/v1/campaigns',
      minimalCampaign({
        agent_id: DOCUMENTED_AGENT,
        qualification: { rules: [{ question: 'interested', equals: true }] },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.agent_id).toBe(DOCUMENTED_AGENT);
  });

  it('refuses an unknown agent at creation in the platform’s own words', async () => {
    const res = await kit.api().post('/v1/campaigns', minimalCampaign({ agent_id: UNKNOWN_AGENT }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('agent_id: Agent not found (CallRounded)');
    expect(res.body.details).toEqual([
      { field: 'agent_id', message: 'Agent not found (CallRounded)' },
    ]);
  });

  it('refuses a draft changed to an unknown agent, and its start once the agent is gone', async () => {
    const created = await kit.api().post('/v1/campaigns', minimalCampaign());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const patch = await kit.api().patch(`/v1/campaigns/${id}`, { agent_id: UNKNOWN_AGENT });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toBe('agent_id: Agent not found (CallRounded)');

    // As if the agent had been deleted on the platform after the campaign was created.
    await kit.sql.query('UPDATE campaigns SET agent_id = $2 WHERE id = $1', [id, UNKNOWN_AGENT]);
    const start = await kit.api().post(`/v1/campaigns/${id}/start`);
    expect(start.status).toBe(400);
    expect(start.body.message).toBe('agent_id: Agent not found (CallRounded)');
    const after = await kit.api().get(`/v1/campaigns/${id}`);
    expect(after.body.status).toBe('draft');
  });

  it('GET /v1/agents/{id}: the name, expected variables and questions the form shows', async () => {
    const res = await kit.api().get(`/v1/agents/${DOCUMENTED_AGENT}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: DOCUMENTED_AGENT,
      name: 'Relance salons',
      variables: ['prenom', 'nom_du_salon', 'ville', 'nombre_de_fauteuils'],
    });
    expect(res.body.post_call_questions[0]).toMatchObject({ name: 'interested', type: 'boolean' });
    const unknown = await kit.api().get(`/v1/agents/${UNKNOWN_AGENT}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('agent_id: Agent not found (CallRounded)');
    expect((await kit.api().get('/v1/agents/nope')).status).toBe(400);
  });
});
