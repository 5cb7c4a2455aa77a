import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { createTestDatabase, type TestDatabase } from '../kit/database';
import { insertCampaign } from './support';

/**
 * `leads.campaign_id` is guarded by triggers rather than a foreign key (migration LeadBulkLoad):
 * the guarantees a foreign key gave must all still hold, whatever writes the rows.
 */
describe('leads belong to an existing campaign', () => {
  let db: TestDatabase;
  let pg: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  const insertLead = (campaignId: string, phone: string) =>
    pg.query('INSERT INTO leads (campaign_id, phone) VALUES ($1, $2)', [campaignId, phone]);

  it('refuses a lead of a campaign that does not exist, with the foreign-key error code', async () => {
    const err = await insertLead(randomUUID(), '+33612340001').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: '23503',
      message: expect.stringContaining('does not exist'),
    });
    const { rows } = await pg.query('SELECT count(*)::int AS n FROM leads');
    expect(rows[0].n).toBe(0);
  });

  it('refuses moving a lead to another campaign', async () => {
    const a = await insertCampaign(pg);
    const b = await insertCampaign(pg);
    await insertLead(a, '+33612340002');
    const err = await pg
      .query('UPDATE leads SET campaign_id = $2 WHERE campaign_id = $1', [a, b])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '23503' });
  });

  it('deleting a campaign deletes its leads, and only those', async () => {
    const gone = await insertCampaign(pg);
    const kept = await insertCampaign(pg);
    await insertLead(gone, '+33612340003');
    await insertLead(kept, '+33612340003');
    await pg.query('DELETE FROM campaigns WHERE id = $1', [gone]);
    const { rows } = await pg.query('SELECT campaign_id FROM leads WHERE phone = $1', [
      '+33612340003',
    ]);
    expect(rows).toEqual([{ campaign_id: kept }]);
  });

  it('a campaign cannot be deleted under an import that is adding leads to it', async () => {
    const campaign = await insertCampaign(pg);
    const importer = new Client({ connectionString: db.url });
    await importer.connect();
    try {
      await importer.query('BEGIN');
      await importer.query('INSERT INTO leads (campaign_id, phone) VALUES ($1, $2)', [
        campaign,
        '+33612340004',
      ]);
      // The check took the campaign's KEY SHARE lock, as a foreign key would: the delete waits.
      const deleting = pg.query('DELETE FROM campaigns WHERE id = $1', [campaign]);
      const waited = await Promise.race([
        deleting.then(() => false),
        new Promise((r) => setTimeout(() => r(true), 300)),
      ]);
      expect(waited).toBe(true);
      await importer.query('COMMIT');
      await deleting;
      // The delete, once through, took the committed lead with the campaign.
      const { rows } = await pg.query(
        'SELECT count(*)::int AS n FROM leads WHERE campaign_id = $1',
        [campaign],
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await importer.end();
    }
  });
});
