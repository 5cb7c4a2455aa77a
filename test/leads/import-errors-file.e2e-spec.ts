import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import { fixture, insertCampaign, leadsOf, type LeadsTestEnv, startLeadsEnv } from './support';
import { TEST_API_KEY } from '../kit/app';

/** GET …/imports/{import_id}/errors.csv, and the fix-and-re-upload loop it serves. */
describe('the errors file of an import', () => {
  let env: LeadsTestEnv;

  beforeAll(async () => {
    env = await startLeadsEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const upload = (campaignId: string, body: Buffer | string) =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(body);

  const errorsFile = (campaignId: string, importId: string) =>
    env
      .http()
      .get(`/v1/campaigns/${campaignId}/imports/${importId}/errors.csv`)
      .set('X-Api-Key', TEST_API_KEY)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('lists every rejected row (past the first 1,000) as written; fixed and sent back, they import', async () => {
    const campaign = await insertCampaign(env.pg);
    const lines = ['phone,name,city'];
    const valid = (i: number) => `+3361234${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 1500; i++) {
      // Every third row is fine; the others have a number too short to be one.
      lines.push(i % 3 === 0 ? `${valid(i)},Lead ${i},Lyon` : `06 12 ${i},"Lead, ${i}",Lyon`);
    }
    const res = await upload(campaign, `${lines.join('\n')}\n`);
    expect(res.body).toMatchObject({
      rows: 1500,
      accepted: 500,
      rejected: 1000,
      error_count: 1000,
    });
    // One more import with rejects past 1,000: 1,200 rejected rows.
    const more = ['phone,name,city'];
    for (let i = 0; i < 1200; i++) more.push(`0${i},"Lead, ${i}",Paris`);
    const second = await upload(campaign, `${more.join('\n')}\n`);
    expect(second.body).toMatchObject({ rejected: 1200, error_count: 1200 });
    expect(second.body.errors).toHaveLength(1000);

    const file = await errorsFile(campaign, second.body.import_id);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(file.headers['x-rejected-rows-omitted']).toBe('0');
    const text = (file.body as Buffer).toString('utf8');
    expect(text.startsWith('\ufefferror,phone,name,city\r\n')).toBe(true);
    const rows = text.slice(1).split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(1201);
    expect(rows[1]).toBe('"phone: ""00"" is not a phone number",00,"Lead, 0",Paris');

    // The user fixes each number (one of them into a number already imported) and sends the
    // file back as it is.
    const fixed = rows
      .map((r, i) =>
        i === 0 ? r : r.replace(/^".*?",0\d*,/, `x,${i === 1 ? valid(0) : valid(5000 + i)},`),
      )
      .join('\r\n');
    const again = await upload(campaign, `\ufeff${fixed}\r\n`);
    expect(again.body).toMatchObject({ rows: 1200, accepted: 1199, duplicates: 1, rejected: 0 });
    const leads = await leadsOf(env.pg, campaign);
    // The `error` column is not a variable.
    expect(leads[leads.length - 1].variables).toEqual({ name: 'Lead, 1199', city: 'Paris' });
  });

  it('keeps the upload’s delimiter and encoding: a French Excel file gets a French Excel errors file', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('fr-excel-cp1252.csv'));
    const file = await errorsFile(campaign, res.body.import_id);
    expect(file.headers['content-type']).toBe('text/csv; charset=windows-1252; header=present');
    expect(file.headers['content-disposition']).toBe(
      'attachment; filename="import-' + res.body.import_id + '-errors.csv"',
    );
    expect(file.body).toEqual(
      iconv.encode(
        "error;Prénom;Nom de l'entreprise;Téléphone;Ville;Montant dû\r\n" +
          '"Téléphone: ""0612"" is too short for FR";Gaëlle;Coiffure Æsthétique;0612;Brest;0\r\n',
        'windows-1252',
      ),
    );
  });

  it('an import without rejected rows has a header-only errors file; an unknown import is 404', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, 'phone;nom\n+33612345678;Zoé\n');
    const file = await errorsFile(campaign, res.body.import_id);
    expect((file.body as Buffer).toString('utf8')).toBe('\ufefferror;phone;nom\r\n');
    const unknown = await errorsFile(campaign, randomUUID());
    expect(unknown.status).toBe(404);
  });

  it('erasing a person (privacy) removes the rejected rows that hold their number, however written', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(
      campaign,
      'phone,name,timezone\n06 12 34 56 78,Zoé,Mars/Olympus\n+33 6 98 76 54 32,Marc,Mars/Olympus\n',
    );
    expect(res.body).toMatchObject({ rejected: 2 });
    const erased = await env
      .http()
      .post('/v1/privacy/erase')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ phone: '+33612345678' });
    expect(erased.body).toMatchObject({ rejected_rows_removed: 1 });
    const text = (await errorsFile(campaign, res.body.import_id)).body.toString('utf8');
    expect(text).not.toContain('Zoé');
    expect(text).toContain('Marc');
  });

  it('the rejected rows go with their campaign', async () => {
    const campaign = await insertCampaign(env.pg);
    await upload(campaign, 'phone\n12\n+33612345678\n');
    await env.pg.query('DELETE FROM campaigns WHERE id = $1', [campaign]);
    const { rows } = await env.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lead_import_rejects r
        WHERE NOT EXISTS (SELECT 1 FROM lead_imports i WHERE i.id = r.import_id)`,
    );
    expect(rows[0].n).toBe(0);
  });
});
