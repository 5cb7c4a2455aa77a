import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { fixture, insertCampaign, type LeadsTestEnv, startLeadsEnv } from './support';
import { TEST_API_KEY } from '../kit/app';
import { waitFor } from '../kit/wait';
import { ADVISORY_LOCKS } from '../../src/common/advisory-locks';

/** Rows of valid, distinct leads: `count` of them, from `start`. */
function leadRows(start: number, count: number): string {
  let out = '';
  for (let i = start; i < start + count; i++)
    out += `+336${String(10_000_000 + i).padStart(8, '0')},Prénom ${i},Ville\n`;
  return out;
}

interface RawResponse {
  status: number;
  body: Record<string, unknown>;
}

/** A chunked upload over a bare socket, written piece by piece, so that a test controls its timing. */
function openRawUpload(url: string, path: string) {
  const req = http.request(`${url}${path}`, {
    method: 'POST',
    headers: {
      'X-Api-Key': TEST_API_KEY,
      'Content-Type': 'text/csv',
      'Transfer-Encoding': 'chunked',
    },
  });
  const response = new Promise<RawResponse>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }),
      );
    });
    req.on('error', reject);
  });
  response.catch(() => undefined);
  return { req, response };
}

describe('lead files that cannot be imported add nothing', () => {
  let env: LeadsTestEnv;

  beforeAll(async () => {
    env = await startLeadsEnv({ IMPORT_MAX_MB: '1' });
  });

  afterAll(async () => {
    await env?.close();
  });

  const upload = (campaignId: string, body: Buffer | string, query = '', type = 'text/csv') =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads${query}`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', type)
      .send(body);

  async function expectNothingAdded(campaignId: string): Promise<void> {
    const { rows } = await env.pg.query<{ leads: number; imports: number }>(
      `SELECT (SELECT count(*) FROM leads WHERE campaign_id = $1)::int AS leads,
              (SELECT count(*) FROM lead_imports WHERE campaign_id = $1)::int AS imports`,
      [campaignId],
    );
    expect(rows[0]).toEqual({ leads: 0, imports: 0 });
  }

  it('no phone column: 400 listing the headers seen', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('unknown-phone-header.csv'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining(
        'No phone column found. Columns seen: "Nom", "Coordonnées", "Ville"',
      ),
    });
    const named = await upload(
      campaign,
      fixture('unknown-phone-header.csv'),
      '?phone_column=Portable',
    );
    expect(named.status).toBe(400);
    expect(named.body.message).toBe(
      'phone_column "Portable" is not a column of this file. Columns seen: "Nom", "Coordonnées", "Ville"',
    );
    await expectNothingAdded(campaign);
  });

  it('two headers giving one variable: 400 naming them', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(campaign, fixture('clashing-headers.csv'));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(
      'columns "Prénom" and "prenom" all become the variable "prenom"',
    );
    await expectNothingAdded(campaign);
  });

  it('empty, header-only, binary files and renamed workbooks: 400 or 415', async () => {
    const campaign = await insertCampaign(env.pg);
    const empty = await upload(campaign, fixture('empty.csv'));
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('The file is empty');
    const headerOnly = await upload(campaign, fixture('header-only.csv'));
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.message).toBe(
      'The file has a header row but no data rows: nothing to import',
    );
    const binary = await upload(campaign, fixture('binary.csv'), '', 'application/octet-stream');
    expect(binary.status).toBe(415);
    expect(binary.body.message).toContain('binary data');
    const workbook = await env
      .http()
      .post(`/v1/campaigns/${campaign}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .attach('file', fixture('workbook-renamed.csv'), {
        filename: 'leads.csv',
        contentType: 'text/csv',
      });
    expect(workbook.status).toBe(415);
    expect(workbook.body.message).toContain('ZIP archive (an .xlsx or .ods workbook is one)');
    await expectNothingAdded(campaign);
  });

  it('a quote never closed: 400 naming its row, and the rows before it are not kept', async () => {
    const campaign = await insertCampaign(env.pg);
    const res = await upload(
      campaign,
      `phone,name\n${leadRows(0, 6000)}+33612345699,"unclosed\n+33612345698,x\n`,
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Row 6002: a quoted field that starts here is never closed, so the rest of the file cannot be read',
    );
    await expectNothingAdded(campaign);
  });

  it('wrong request shapes: 415, 400, 404, 409', async () => {
    const campaign = await insertCampaign(env.pg);
    const json = await env
      .http()
      .post(`/v1/campaigns/${campaign}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .send({ phone: '+33612345678' });
    expect(json.status).toBe(415);
    const noFile = await env
      .http()
      .post(`/v1/campaigns/${campaign}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .field('document', 'phone\n+33612345678\n');
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toContain('no "file" field');

    for (const [query, field] of [
      ['?delimiter=x', 'delimiter'],
      ['?encoding=klingon', 'encoding'],
      ['?default_country=XX', 'default_country'],
      ['?colour=blue', 'colour'],
    ]) {
      const res = await upload(campaign, fixture('fr-excel-cp1252.csv'), query);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    }
    expect((await upload(randomUUID(), fixture('fr-excel-cp1252.csv'))).status).toBe(404);
    expect((await upload('not-a-uuid', fixture('fr-excel-cp1252.csv'))).status).toBe(400);
    const cancelled = await insertCampaign(env.pg, { status: 'cancelled' });
    const res = await upload(cancelled, fixture('fr-excel-cp1252.csv'));
    expect(res.status).toBe(409);
    await expectNothingAdded(campaign);
    await expectNothingAdded(cancelled);
  });

  it('a file over IMPORT_MAX_MB: 413, whether its length is declared or not', async () => {
    const campaign = await insertCampaign(env.pg);
    const big = `phone,name,city\n${leadRows(0, 40_000)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    const declared = await upload(campaign, big);
    expect(declared.status).toBe(413);
    expect(declared.body.message).toBe('The file is larger than the 1 MB limit (IMPORT_MAX_MB)');

    // Chunked: the limit is found while rows are already being written.
    const { req, response } = openRawUpload(env.url, `/v1/campaigns/${campaign}/leads`);
    for (let i = 0; i < big.length; i += 64 * 1024) req.write(big.slice(i, i + 64 * 1024));
    req.end();
    const chunked = await response;
    expect(chunked.status).toBe(413);
    await expectNothingAdded(campaign);
  });

  it('a client that disconnects mid-upload leaves no lead of that upload behind', async () => {
    const campaign = await insertCampaign(env.pg);
    const { req } = openRawUpload(env.url, `/v1/campaigns/${campaign}/leads`);
    req.on('error', () => undefined);
    req.write(`phone,name,city\n${leadRows(0, 12_000)}`);
    // Wait until the service has written rows in its (uncommitted) transaction, then hang up.
    await waitFor(
      'the upload to write rows in its transaction',
      async () => {
        const { rows } = await env.pg.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = 'leads' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        return rows[0].n > 0;
      },
      10_000,
      20,
    );
    req.destroy();
    await waitFor(
      'the dropped upload to be recorded',
      async () => {
        const { rows } = await env.pg.query(`SELECT 1 FROM lead_imports WHERE campaign_id = $1`, [
          campaign,
        ]);
        return rows.length > 0;
      },
      10_000,
      20,
    );
    const { rows: imports } = await env.pg.query(
      `SELECT status, accepted, failure FROM lead_imports WHERE campaign_id = $1`,
      [campaign],
    );
    expect(imports).toEqual([
      {
        status: 'aborted',
        accepted: 0,
        failure: 'The client closed the connection before the whole file was received',
      },
    ]);
    const { rows: leads } = await env.pg.query(
      `SELECT count(*)::int AS n FROM leads WHERE campaign_id = $1`,
      [campaign],
    );
    expect(leads[0].n).toBe(0);
  });

  it('one import at a time per campaign: a second one meanwhile gets 409, the first completes', async () => {
    const campaign = await insertCampaign(env.pg);
    const first = openRawUpload(env.url, `/v1/campaigns/${campaign}/leads`);
    // The import takes its connection and lock once its first rows are parsed: the parser holds
    // back a chunk's last line until more bytes come, so send two.
    first.req.write('phone,name\n+33612345601,A\n+33612345604,C\n');
    await waitFor(
      'the first import to hold its lock',
      async () => {
        // This database's import lock only: other test files' databases (on the same server,
        // in parallel) hold advisory locks of their own, claims' number locks among them.
        const { rows } = await env.pg.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND classid = $1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [ADVISORY_LOCKS.leadImportSpace],
        );
        return rows[0].n > 0;
      },
      10_000,
      20,
    );
    const second = await upload(campaign, 'phone\n+33612345602\n');
    expect(second.status).toBe(409);
    first.req.end('+33612345603,B\n');
    const done = await first.response;
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ rows: 3, accepted: 3 });
  });
});
