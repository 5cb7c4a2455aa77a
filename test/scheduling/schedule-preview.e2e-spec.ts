import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCampaignKit, type CampaignKit } from '../campaigns/support/campaign-kit';

/** Friday 4 December 2026, 12:00 in Paris (UTC+1). */
const NOW = new Date('2026-12-04T11:00:00Z');

let kit: CampaignKit;
beforeAll(async () => {
  kit = await startCampaignKit({ clock: { now: () => new Date(NOW) } });
});
afterAll(async () => {
  await kit?.close();
});

describe('GET /v1/schedule-preview', () => {
  it('answers the next three runs of "every weekday at 19:00" read in the campaign’s zone', async () => {
    const res = await kit
      .api()
      .get('/v1/schedule-preview?cron=0%2019%20*%20*%201-5&timezone=europe/paris');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      cron: '0 19 * * 1-5',
      timezone: 'Europe/Paris',
      // Friday 19:00 Paris, then Monday and Tuesday (the weekend skipped): 18:00 UTC in winter.
      next_runs: [
        '2026-12-04T18:00:00.000Z',
        '2026-12-07T18:00:00.000Z',
        '2026-12-08T18:00:00.000Z',
      ],
    });
  });

  it('refuses a bad cron or zone with a 400 naming the field', async () => {
    const cron = await kit.api().get('/v1/schedule-preview?cron=0%2019%20*%20*&timezone=UTC');
    expect(cron.status).toBe(400);
    expect(cron.body.details).toEqual([
      { field: 'cron', message: expect.stringContaining('5 fields') },
    ]);
    const zone = await kit
      .api()
      .get('/v1/schedule-preview?cron=0%2019%20*%20*%20*&timezone=Mars/Base');
    expect(zone.status).toBe(400);
    expect(zone.body.message).toContain('timezone');
    const count = await kit.api().get('/v1/schedule-preview?cron=@daily&timezone=UTC&count=50');
    expect(count.status).toBe(400);
    expect(count.body.message).toContain('count');
  });
});
