import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fixture,
  insertCampaign,
  leadsOf,
  type LeadsTestEnv,
  startLeadsEnv,
} from '../leads/support';
import { TEST_API_KEY } from '../kit/app';

describe('the do-not-call list', () => {
  let env: LeadsTestEnv;

  beforeAll(async () => {
    env = await startLeadsEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const suppress = (body: object) =>
    env.http().post('/v1/suppressions').set('X-Api-Key', TEST_API_KEY).send(body);
  const importLeads = (campaignId: string, file: string) =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(fixture(file));
  const statusByRow = async (campaignId: string) =>
    Object.fromEntries((await leadsOf(env.pg, campaignId)).map((l) => [l.row_number, l.status]));

  it('a number suppressed before the import is counted in `suppressed` and never pending', async () => {
    const added = await suppress({
      phones: ['+33612345678', '06 98 76 54 32', 'bad', '+33 6 12 34 56 78'],
      reason: 'asked not to be called',
      default_country: 'FR',
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      received: 4,
      added: 2,
      already_suppressed: 0,
      duplicates: 1,
      rejected: 1,
      leads_suppressed: 0,
      errors: [{ index: 2, message: '"bad" contains letters: not a phone number' }],
      error_count: 1,
    });

    const campaign = await insertCampaign(env.pg);
    const res = await importLeads(campaign, 'fr-excel-cp1252.csv');
    expect(res.status).toBe(201);
    // Rows 2 and 3 are on the list; row 6 repeats row 2's number.
    expect(res.body).toMatchObject({
      rows: 6,
      accepted: 2,
      rejected: 1,
      duplicates: 1,
      suppressed: 2,
    });
    expect(await statusByRow(campaign)).toEqual({
      2: 'suppressed',
      3: 'suppressed',
      4: 'pending',
      8: 'pending',
    });

    const again = await suppress({ phones: ['+33612345678'] });
    expect(again.body).toMatchObject({
      received: 1,
      added: 0,
      already_suppressed: 1,
      leads_suppressed: 0,
    });
  });

  it('a number suppressed after the import stops its waiting leads in every campaign; a live call is left alone', async () => {
    const a = await insertCampaign(env.pg);
    const b = await insertCampaign(env.pg);
    await importLeads(a, 'fr-excel-cp1252.csv').expect(201);
    await importLeads(b, 'fr-excel-utf8-bom.csv').expect(201);
    await env.pg.query(
      `UPDATE leads SET status = 'retry_scheduled' WHERE campaign_id = $1 AND row_number = 8`,
      [a],
    );
    await env.pg.query(
      `UPDATE leads SET status = 'calling' WHERE campaign_id = $1 AND row_number = 8`,
      [b],
    );

    const res = await suppress({ phones: ['+33612345679', '+33611223344'] });
    expect(res.status).toBe(201);
    // Row 4 of a and b, row 8 (retry_scheduled) of a, and rows 4 and 8 of the previous test's
    // campaign, still pending; row 8 of b is on a call.
    expect(res.body).toMatchObject({ added: 2, leads_suppressed: 5 });
    expect((await statusByRow(a))[4]).toBe('suppressed');
    expect((await statusByRow(a))[8]).toBe('suppressed');
    expect((await statusByRow(b))[4]).toBe('suppressed');
    expect((await statusByRow(b))[8]).toBe('calling');
  });

  it('reads a CSV of numbers like a lead file, with reasons, row errors and repeats', async () => {
    const res = await env
      .http()
      .post('/v1/suppressions?default_country=FR&reason=CRM%20export')
      .set('X-Api-Key', TEST_API_KEY)
      .attach('file', fixture('do-not-call.csv'), { filename: 'dnc.csv', contentType: 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      received: 4,
      added: 2,
      already_suppressed: 0,
      duplicates: 1,
      rejected: 1,
      leads_suppressed: 0,
      errors: [{ row: 4, column: 'Numéro', message: '"n/a" contains letters: not a phone number' }],
      error_count: 1,
    });
    const { rows } = await env.pg.query(
      `SELECT phone, reason FROM suppressions WHERE phone IN ('+33612345660', '+33612345661') ORDER BY phone`,
    );
    expect(rows).toEqual([
      { phone: '+33612345660', reason: 'opposition' },
      { phone: '+33612345661', reason: 'CRM export' },
    ]);

    const unreadable = await env
      .http()
      .post('/v1/suppressions')
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(fixture('unknown-phone-header.csv'));
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.message).toContain('No phone column found');
  });

  it('rejects a malformed JSON body with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ phones: [] }, 'phones'],
      [{ phones: '+33612345678' }, 'phones'],
      [{ phones: [42] }, 'phones'],
      [{ phones: ['+33612345678'], colour: 'red' }, 'colour'],
      [{ phones: ['0612345678'], default_country: 'ZZ' }, 'default_country'],
    ] as const) {
      const res = await suppress(body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    }
  });

  it('lists the numbers page by page and deletes one by its URL-encoded E.164', async () => {
    await suppress({ phones: ['+12125550123', '+442079460958'] }).expect(201);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: {
        status: number;
        body: { data: { phone: string }[]; next_cursor: string | null };
      } = await env.http().get(`/v1/suppressions?limit=2${query}`).set('X-Api-Key', TEST_API_KEY);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      all.push(...page.body.data.map((s) => s.phone));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['+12125550123', '+442079460958', '+33612345678']));

    const del = (phone: string) =>
      env.http().delete(`/v1/suppressions/${phone}`).set('X-Api-Key', TEST_API_KEY);
    expect((await del('%2B12125550123')).status).toBe(204);
    expect((await del('%2B12125550123')).status).toBe(404);
    expect((await del('+442079460958')).status).toBe(204);
    const bad = await del('hello');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'phone' })]);
    const { rows } = await env.pg.query(
      `SELECT 1 FROM suppressions WHERE phone IN ('+12125550123', '+442079460958')`,
    );
    expect(rows).toEqual([]);
  });

  it('searches the list by digits as typed nationally or by reason', async () => {
    await suppress({ phones: ['+33644440001'], reason: 'Demande RGPD du 3 décembre' }).expect(201);
    await suppress({ phones: ['+33644440002'], reason: 'asked by phone' }).expect(201);
    const search = async (text: string) => {
      const res = await env
        .http()
        .get(`/v1/suppressions?search=${encodeURIComponent(text)}`)
        .set('X-Api-Key', TEST_API_KEY);
      expect(res.status).toBe(200);
      return (res.body as { data: { phone: string }[] }).data.map((s) => s.phone);
    };
    expect(await search('06 44 44 00 01')).toEqual(['+33644440001']);
    expect(await search('rgpd')).toEqual(['+33644440001']);
    expect(await search('100%')).toEqual([]);
    expect(await search('')).toEqual(expect.arrayContaining(['+33644440001', '+33644440002']));
  });
});
