import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  minimalCampaign,
  startCampaignKit,
  type CampaignKit,
} from '../campaigns/support/campaign-kit';

let kit: CampaignKit;
beforeAll(async () => {
  kit = await startCampaignKit();
});
afterAll(async () => {
  await kit?.close();
});

describe('POST /v1/campaigns/{id}/run-now', () => {
  it('starts the run of a scheduled campaign at once, audited, and refuses what is not waiting for a run', async () => {
    const created = await kit
      .api()
      .post('/v1/campaigns', minimalCampaign({ schedule: { cron: '0 19 * * 1-5' } }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const draft = await kit.api().post(`/v1/campaigns/${id}/run-now`);
    expect(draft.status).toBe(409);
    expect(draft.body.message).toContain('campaign is draft');

    expect((await kit.api().post(`/v1/campaigns/${id}/start`)).body.status).toBe('scheduled');
    const run = await kit.api().post(`/v1/campaigns/${id}/run-now`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ id, status: 'running', schedule: { cron: '0 19 * * 1-5' } });

    const again = await kit.api().post(`/v1/campaigns/${id}/run-now`);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('campaign is already running');

    const audit = await kit.api().get(`/v1/audit-events?action=campaign.run_now&target=${id}`);
    expect(audit.body.data).toHaveLength(1);
  });
});
