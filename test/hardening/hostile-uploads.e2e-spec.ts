import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { insertCampaign, type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { TEST_API_KEY } from '../kit/app';
import { cpuSpent, rawRequest, requestHead } from './raw-http';

const BOUNDARY = 'xBOUNDARYx';

/** A multipart body whose file part starts but never ends: the bytes stop inside the file. */
function truncatedMultipart(): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\n` +
    'Content-Type: text/csv\r\n\r\nphone,prenom\n+33612345678,Zoé\n+33612345679,Léa\n'
  );
}

async function counts(env: LeadsTestEnv) {
  const { rows } = await env.pg.query<{ leads: number; imports: number; suppressions: number }>(
    `SELECT (SELECT count(*)::int FROM leads) AS leads, (SELECT count(*)::int FROM lead_imports) AS imports,
            (SELECT count(*)::int FROM suppressions) AS suppressions`,
  );
  return rows[0];
}

describe('uploads that end early, stall or carry absurd headers', () => {
  let env: LeadsTestEnv;
  let campaignId: string;

  beforeAll(async () => {
    env = await startLeadsEnv({ IMPORT_MAX_CONCURRENT: '2', IMPORT_IDLE_TIMEOUT_S: '1' });
    campaignId = await insertCampaign(env.pg);
  });

  afterAll(async () => {
    await env?.close();
  });

  const health = () => env.http().get('/health');

  it.each([
    ['a lead file', () => `/v1/campaigns/${campaignId}/leads`],
    ['a do-not-call file', () => '/v1/suppressions'],
  ])(
    '%s whose multipart body ends inside the file part: 400, nothing stored, the service lives',
    async (_, path) => {
      const before = await counts(env);
      const body = truncatedMultipart();
      const r = rawRequest(
        env.url,
        requestHead('POST', path(), {
          'X-Api-Key': TEST_API_KEY,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Length': Buffer.byteLength(body),
        }),
      );
      r.send(body);
      const answer = await r.answer;
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('multipart body cannot be read'),
      });
      expect(await counts(env)).toEqual(before);
      expect((await health()).status).toBe(200);
    },
  );

  it('stalled uploads hold no database connection, past the cap get 429 with Retry-After, and time out with 408', async () => {
    const before = await counts(env);
    const head = requestHead('POST', `/v1/campaigns/${campaignId}/leads`, {
      'X-Api-Key': TEST_API_KEY,
      'Content-Type': 'text/csv',
      'Transfer-Encoding': 'chunked',
    });
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
    // Six clients that send half a header line, then nothing.
    const slow = Array.from({ length: 6 }, () => {
      const r = rawRequest(env.url, head);
      r.send(chunk('phone,pre'));
      return r;
    });
    const answers = await Promise.all(slow.map((r) => r.answer));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(4);
    for (const a of refused) {
      expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(a.body).message).toContain('IMPORT_MAX_CONCURRENT');
    }
    const timedOut = answers.filter((a) => a.status === 408);
    expect(timedOut).toHaveLength(2);
    expect(JSON.parse(timedOut[0].body).message).toContain('IMPORT_IDLE_TIMEOUT_S');
    slow.forEach((r) => r.destroy());
    expect(await counts(env)).toEqual(before);
  });

  it('while uploads stall before their first rows, no transaction is open and every route answers', async () => {
    const head = requestHead('POST', `/v1/campaigns/${campaignId}/leads`, {
      'X-Api-Key': TEST_API_KEY,
      'Content-Type': 'text/csv',
      'Transfer-Encoding': 'chunked',
    });
    // Three clients send half a header line, then nothing: two hold the places, one is refused.
    const stalled = Array.from({ length: 3 }, () => {
      const r = rawRequest(env.url, head);
      r.send('9\r\nphone,pre\r\n');
      return r;
    });
    expect((await Promise.race(stalled.map((r) => r.answer))).status).toBe(429);
    const { rows } = await env.pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'callrounded-campaigns' AND state LIKE 'idle in transaction%'`,
    );
    expect(rows[0].n).toBe(0);
    expect((await health()).status).toBe(200);
    const leads = await env
      .http()
      .get(`/v1/campaigns/${campaignId}/leads`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(leads.status).toBe(200);
    const statuses = (await Promise.all(stalled.map((r) => r.answer))).map((a) => a.status);
    expect(statuses.sort()).toEqual([408, 408, 429]);
    stalled.forEach((r) => r.destroy());
  });

  const postFile = (csv: string) =>
    env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send(csv);

  it('30,000 columns: a 400 naming the column limit, without blocking the service', async () => {
    const header = ['phone', ...Array.from({ length: 30_000 }, () => 'Prénom')].join(',');
    const { result, cpuMs } = await cpuSpent(() => postFile(`${header}\n+33612345678\n`));
    expect(result.status).toBe(400);
    expect(result.body.message).toContain('at most 2000');
    expect(result.body.details).toEqual([{ field: 'file', message: 'more than 2000 columns' }]);
    expect(cpuMs).toBeLessThan(3000);
  });

  it('190,000 distinct columns: refused the same way, quickly', async () => {
    const header = ['phone', ...Array.from({ length: 190_000 }, (_, i) => i.toString(36))].join(
      ',',
    );
    const { result, cpuMs } = await cpuSpent(() => postFile(`${header}\n+33612345678\n`));
    expect(result.status).toBe(400);
    expect(result.body.message).toContain('190001 columns');
    expect(cpuMs).toBeLessThan(3000);
  });

  it('1,999 columns that all become one variable: a short 400 that names a few and counts the rest', async () => {
    const header = ['phone', ...Array.from({ length: 1_999 }, () => 'Prénom')].join(',');
    const { result, cpuMs } = await cpuSpent(() => postFile(`${header}\n+33612345678\n`));
    expect(result.status).toBe(400);
    expect(result.body.message).toContain('all become the variable "prenom"');
    expect(result.body.message).toContain('1989 more');
    expect(JSON.stringify(result.body).length).toBeLessThan(2000);
    expect(cpuMs).toBeLessThan(3000);
  });
});
