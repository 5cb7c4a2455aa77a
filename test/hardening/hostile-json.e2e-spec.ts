import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertCampaign, type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { TEST_API_KEY } from '../kit/app';

const cursor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Cursors a client could craft: out-of-range numbers, broken ids, impossible dates, other lists' cursors. */
const CRAFTED = [
  'not base64 at all %%%',
  cursor('leads:99999999999999999999'),
  cursor('leads:-1'),
  cursor('campaigns:99999999999999999999|00000000-0000-0000-0000-000000000000'),
  cursor('campaigns:1|not-a-uuid'),
  cursor('imports:2026-02-31T00:00:00Z|00000000-0000-0000-0000-000000000000'),
  cursor('imports:99999-01-01T00:00:00Z|00000000-0000-0000-0000-000000000000'),
  cursor('webhook-events:2026-01-01T24:00:00Z|00000000-0000-0000-0000-000000000000'),
  cursor('webhook-events:2026-01-01T00:00:00Z|zzzzzzzz-0000-0000-0000-000000000000'),
  cursor('report:1e400'),
  cursor('suppressions:DROP TABLE'),
  cursor('report:1|2|3'),
];

describe('hostile JSON bodies, crafted cursors and awkward names', () => {
  let env: LeadsTestEnv;
  let campaignId: string;

  beforeAll(async () => {
    env = await startLeadsEnv();
    campaignId = await insertCampaign(env.pg);
  });

  afterAll(async () => {
    await env?.close();
  });

  const campaignCount = async () =>
    (await env.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM campaigns')).rows[0].n;

  it('a body nested 5,000 levels deep is a 400 in the contract body, and nothing is created', async () => {
    const before = await campaignCount();
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await env
      .http()
      .post('/v1/campaigns')
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'application/json')
      .send(`{"name":"Relance","agent_id":${deep}}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is nested more than 32 levels deep',
    });
    expect(await campaignCount()).toBe(before);
  });

  it('a 200 KB body full of mistakes gets a short answer: the first 50 problems, all counted', async () => {
    const unknown = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [`field_${i}_${'x'.repeat(8)}`, i]),
    );
    const body = JSON.stringify({ ...unknown, name: 'Relance' });
    expect(body.length).toBeGreaterThan(200_000);
    const res = await env
      .http()
      .post('/v1/campaigns')
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(400);
    expect(res.text.length).toBeLessThan(20_000);
    expect(res.body.details).toHaveLength(50);
    expect(res.body.details[0]).toEqual({
      field: 'field_0_xxxxxxxx',
      message: 'property field_0_xxxxxxxx should not exist',
    });
    expect(res.body.message).toMatch(/; and \d+ more problems$/);
  });

  it.each([
    ['campaigns', () => '/v1/campaigns'],
    ['leads', () => `/v1/campaigns/${campaignId}/leads`],
    ['imports', () => `/v1/campaigns/${campaignId}/imports`],
    ['webhook events', () => `/v1/campaigns/${campaignId}/webhook-events`],
    ['report', () => `/v1/campaigns/${campaignId}/report`],
    ['do-not-call', () => '/v1/suppressions'],
  ])('every crafted cursor on the %s list is a 400 naming cursor', async (_, path) => {
    for (const c of CRAFTED) {
      const res = await env.http().get(path()).query({ cursor: c }).set('X-Api-Key', TEST_API_KEY);
      expect({ cursor: c, status: res.status }).toEqual({ cursor: c, status: 400 });
      expect(res.body.details).toEqual([{ field: 'cursor', message: 'not a cursor of this list' }]);
    }
  });

  it('a campaign name whose 100th character is an emoji (or a lone surrogate) still downloads both reports', async () => {
    for (const name of ['a'.repeat(99) + '👩🏽‍💻 salons', 'é'.repeat(99) + '\ud83d' + '🇫🇷']) {
      await env.pg.query('UPDATE campaigns SET name = $1 WHERE id = $2', [name, campaignId]);
      for (const ext of ['csv', 'xlsx']) {
        const res = await env
          .http()
          .get(`/v1/campaigns/${campaignId}/report.${ext}`)
          .set('X-Api-Key', TEST_API_KEY);
        expect(res.status).toBe(200);
        const disposition = res.headers['content-disposition'];
        expect(disposition).toMatch(
          /^attachment; filename="[a-z0-9-]+-report\.\w+"; filename\*=UTF-8''/,
        );
        const utf8 = decodeURIComponent(disposition.split("UTF-8''")[1]);
        expect(utf8.endsWith(`-report.${ext}`)).toBe(true);
        expect(utf8).not.toMatch(/[\ud800-\udfff](?![\udc00-\udfff])/u);
      }
    }
  });
});
