import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import request from 'supertest';
import { OpenApiContract, type ServedDocument } from '../kit/openapi-contract';
import { takeOpenApiProblems } from '../kit/response-recorder';
import { TEST_API_KEY } from '../kit/app';
import { AGENT_ID, FROM_NUMBER as FROM } from '../kit/simulator';
import { startStack, type Stack } from '../kit/stack';
import { CLIENT_TYPES_FILE, clientTypesOf } from './client-types';
import { CONTRACT_EXAMPLE_CAMPAIGN } from './client-usage';

/**
 * Every operation of the served document, called for its success and for the errors it
 * documents; test/setup/openapi-responses.ts fails the test on any answer the document does
 * not describe (status, media type, body).
 */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe('the served OpenAPI document', () => {
  let stack: Stack;
  let app: INestApplication;
  let sql: Client;
  let doc: ServedDocument;
  let contract: OpenApiContract;
  const seen = new Map<string, Set<number>>();

  beforeAll(async () => {
    stack = await startStack({
      role: 'api',
      env: { IMPORT_MAX_MB: '1', AUTH_FAILURES_PER_MINUTE: '2' },
    });
    ({ app, sql } = stack);
    doc = (await request(app.getHttpServer()).get('/docs-json')).body as ServedDocument;
    contract = await OpenApiContract.of(doc);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );

  type Method = 'get' | 'post' | 'patch' | 'delete';
  /** One request; remembers which operation answered which status. */
  async function call(
    method: Method,
    url: string,
    o: { body?: string | object; type?: string; key?: boolean | string } = {},
  ) {
    let req = request(app.getHttpServer())[method](url);
    if (o.key !== false)
      req = req.set('X-Api-Key', typeof o.key === 'string' ? o.key : TEST_API_KEY);
    if (o.type) req = req.set('Content-Type', o.type);
    const res = await (o.body === undefined ? req : req.send(o.body));
    const key = `${method} ${contract.templateOf(url)}`;
    if (!seen.has(key)) seen.set(key, new Set());
    seen.get(key)!.add(res.status);
    return res;
  }

  it('passes a strict OpenAPI 3.1 validator, and every schema compiles in Ajv strict mode', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(contract).toBeDefined();
  });

  it('documents the key, the errors and the open routes on every operation', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(25);
    for (const { path, method, op } of ops) {
      const where = `${method} ${path}`;
      const o = op as unknown as { security?: unknown[]; responses: Record<string, unknown> };
      if (path.startsWith('/v1/')) {
        expect({ where, has: Object.keys(o.responses) }).toEqual({
          where,
          has: expect.arrayContaining(['400', '401', '403', '429', 'default']),
        });
        expect({ where, security: o.security }).toEqual({ where, security: undefined });
      } else expect({ where, security: o.security }).toEqual({ where, security: [] });
      for (const [status, response] of Object.entries(o.responses)) {
        const r = response as { content?: Record<string, { schema?: { $ref?: string } }> };
        if (status !== 'default' && Number(status) < 400) continue;
        if (path === '/health') continue; // its 503 is the health answer itself
        expect({ where, status, schema: r.content?.['application/json']?.schema?.$ref }).toEqual({
          where,
          status,
          schema: '#/components/schemas/ErrorBody',
        });
      }
    }
    const metrics = doc.paths['/metrics'].get.responses['200'].content;
    expect(Object.keys(metrics ?? {})).toEqual(['text/plain']);
  });

  it('takes the contract’s example campaign as written, and every rule value it allows', () => {
    const post = (body: unknown) =>
      contract.requestProblems('post', '/v1/campaigns', 'application/json', body);
    expect(post(CONTRACT_EXAMPLE_CAMPAIGN)).toEqual([]);
    const rule = (r: object) => ({
      ...CONTRACT_EXAMPLE_CAMPAIGN,
      qualification: { rules: [{ question: 'interested', ...r }] },
    });
    for (const value of [true, 'yes', 3, ['a', 'b']])
      expect(post(rule({ equals: value }))).toEqual([]);
    expect(post(rule({ in: ['yes', 2, false] }))).toEqual([]);
    for (const cleared of ['default_country', 'webhook_url', 'schedule', 'qualification'])
      expect(post({ ...CONTRACT_EXAMPLE_CAMPAIGN, [cleared]: null })).toEqual([]);
    expect(post({ ...CONTRACT_EXAMPLE_CAMPAIGN, default_country: 33 })).not.toEqual([]);
    expect(post(rule({ equals: { nested: 1 } }))).not.toEqual([]);
  });

  it('tells an answer the document does not describe', () => {
    const answer = (status: number, body: unknown, contentType = 'application/json') => ({
      method: 'GET',
      url: `/v1/campaigns/${NO_SUCH_ID}`,
      status,
      contentType,
      length: JSON.stringify(body).length,
      body: Buffer.from(JSON.stringify(body)),
    });
    const error = { statusCode: 404, error: 'Not Found', message: 'Campaign not found' };
    expect(contract.problems(answer(404, error))).toEqual([]);
    expect(contract.problems(answer(418, error))[0]).toContain('not documented');
    expect(contract.problems(answer(404, error, 'text/html'))[0]).toContain('media type');
    expect(contract.problems(answer(404, { ...error, error: undefined }))[0]).toContain('error');
    expect(contract.problems(answer(404, { ...error, stack: 'x' }))[0]).toContain('additional');
    expect(contract.problems(answer(500, { ...error, statusCode: 500 }))).toEqual([]);
    expect(contract.problems({ ...answer(200, {}), url: '/app/index.html' })).toEqual([]);
  });

  it('every operation, called for its answers: each one as the document says', async () => {
    // Operations.
    expect((await call('get', '/health', { key: false })).status).toBe(200);
    expect((await call('get', '/metrics', { key: false })).status).toBe(200);
    expect((await call('get', '/docs', { key: false })).status).toBe(200);
    expect((await call('get', '/docs-json', { key: false })).status).toBe(200);

    // Campaigns: the contract's example as the first one.
    const example = { ...CONTRACT_EXAMPLE_CAMPAIGN, agent_id: AGENT_ID };
    expect((await call('post', '/v1/campaigns', { body: example, key: false })).status).toBe(401);
    const created = await call('post', '/v1/campaigns', { body: example });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ default_country: 'FR', status: 'draft' });
    const id = created.body.id as string;
    expect((await call('post', '/v1/campaigns', { body: { name: '' } })).status).toBe(400);
    const broken = { body: '{"name":', type: 'application/json' };
    expect((await call('post', '/v1/campaigns', broken)).status).toBe(400);
    const huge = { body: `{"name":"${'x'.repeat(6 * 1024 * 1024)}"}`, type: 'application/json' };
    expect((await call('post', '/v1/campaigns', huge)).status).toBe(413);
    expect((await call('get', '/v1/campaigns')).status).toBe(200);
    expect((await call('get', '/v1/campaigns?limit=0')).status).toBe(400);
    expect((await call('get', `/v1/campaigns/${id}`)).status).toBe(200);
    expect((await call('get', `/v1/campaigns/${NO_SUCH_ID}`)).status).toBe(404);
    const hook = { webhook_url: 'https://crm.example.com/hooks/calls' };
    const patched = await call('patch', `/v1/campaigns/${id}`, { body: hook });
    expect(patched.status).toBe(200);
    expect(patched.body.webhook_secret).toEqual(expect.any(String));
    const cleared = { default_country: null, schedule: null, qualification: null };
    expect((await call('patch', `/v1/campaigns/${id}`, { body: cleared })).body).toMatchObject(
      cleared,
    );
    const bad = { body: { max_concurrent_calls: 0 } };
    expect((await call('patch', `/v1/campaigns/${id}`, bad)).status).toBe(400);
    expect((await call('patch', `/v1/campaigns/${NO_SUCH_ID}`, { body: hook })).status).toBe(404);

    // Leads and imports.
    const csv = (body: string) => ({ body, type: 'text/csv' });
    const leads = `/v1/campaigns/${id}/leads`;
    const imported = await call('post', leads, csv('phone,prenom\n+33612345678,Zoé\nnope,Max\n'));
    expect(imported.status).toBe(201);
    expect((await call('post', leads, csv('phone\n'))).status).toBe(400);
    expect((await call('post', leads, csv('PK\u0003\u0004binary'))).status).toBe(415);
    const big = `phone\n${'+33612345678\n'.repeat(90_000)}`;
    expect((await call('post', leads, csv(big))).status).toBe(413);
    const noCampaign = `/v1/campaigns/${NO_SUCH_ID}/leads`;
    expect((await call('post', noCampaign, csv('phone\n+33612345678\n'))).status).toBe(404);
    const listed = await call('get', `${leads}?search=Zo%C3%A9`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    expect((await call('get', `${leads}/${listed.body.data[0].id}`)).status).toBe(200);
    const lead = `${leads}/${listed.body.data[0].id}`;
    // Never called: no transcript to fetch, no requeue on a draft campaign.
    expect((await call('get', `${lead}/calls/${NO_SUCH_ID}/transcript`)).status).toBe(404);
    expect((await call('get', `${lead}/calls/nope/transcript`)).status).toBe(400);
    expect((await call('post', `${lead}/requeue`, { body: { extra_attempts: 1 } })).status).toBe(
      409,
    );
    expect((await call('post', `${lead}/requeue`, { body: { extra_attempts: 0 } })).status).toBe(
      400,
    );
    expect((await call('get', `${leads}/${NO_SUCH_ID}`)).status).toBe(404);
    expect((await call('get', `${leads}?limit=abc`)).status).toBe(400);
    expect((await call('get', `/v1/campaigns/${id}/imports`)).status).toBe(200);
    const importUrl = `/v1/campaigns/${id}/imports/${imported.body.import_id}`;
    expect((await call('get', importUrl)).status).toBe(200);
    expect((await call('get', `/v1/campaigns/${id}/imports/${NO_SUCH_ID}`)).status).toBe(404);
    expect((await call('get', `${importUrl}/errors.csv`)).status).toBe(200);
    expect((await call('get', `/v1/lead-template.csv?agent_id=${AGENT_ID}`)).status).toBe(200);
    const preview = await call(
      'get',
      '/v1/schedule-preview?cron=0%2019%20*%20*%201-5&timezone=Europe/Paris',
    );
    expect(preview.status).toBe(200);
    expect((await call('get', `/v1/agents/${AGENT_ID}`)).status).toBe(200);
    expect((await call('get', `/v1/agents/${NO_SUCH_ID}`)).status).toBe(404);
    expect((await call('get', '/v1/agents/nope')).status).toBe(400);
    expect((await call('post', `/v1/campaigns/${NO_SUCH_ID}/run-now`)).status).toBe(404);
    expect(
      (await call('get', '/v1/schedule-preview?cron=61%20*%20*%20*%20*&timezone=Europe/Paris'))
        .status,
    ).toBe(400);
    const clone = await call('post', `/v1/campaigns/${id}/clone`, { body: { name: 'Copie' } });
    expect(clone.status).toBe(201);
    const test = await call('post', `/v1/campaigns/${id}/test-call`, {
      body: { to_number: '+33612345677' },
    });
    expect([200, 201, 409]).toContain(test.status);
    expect((await call('get', `/v1/campaigns/${id}/test-calls`)).status).toBe(200);
    const eligibility = await call('get', `/v1/campaigns/${id}/eligibility`);
    expect(eligibility.status).toBe(200);
    expect(eligibility.body.days).toHaveLength(7);
    expect((await call('get', `/v1/campaigns/${NO_SUCH_ID}/eligibility`)).status).toBe(404);

    // Do-not-call list.
    const phones = { body: { phones: ['+33612345670'] } };
    expect((await call('post', '/v1/suppressions', phones)).status).toBe(201);
    expect((await call('post', '/v1/suppressions', { body: { phones: 'x' } })).status).toBe(400);
    expect((await call('post', '/v1/suppressions', csv('PK\u0003\u0004bin'))).status).toBe(415);
    expect((await call('get', '/v1/suppressions')).status).toBe(200);
    expect((await call('delete', '/v1/suppressions/%2B33612345670')).status).toBe(204);
    expect((await call('delete', '/v1/suppressions/%2B33612345670')).status).toBe(404);
    expect((await call('delete', '/v1/suppressions/abc')).status).toBe(400);

    // Reports.
    expect((await call('get', `/v1/campaigns/${id}/report`)).status).toBe(200);
    expect((await call('get', `/v1/campaigns/${id}/report.csv`)).status).toBe(200);
    expect((await call('get', `/v1/campaigns/${id}/report.xlsx`)).status).toBe(200);
    expect((await call('get', `/v1/campaigns/${NO_SUCH_ID}/report`)).status).toBe(404);

    // Webhook events: a failed one, retried, then no longer failed.
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO webhook_events (campaign_id, type, dedupe_key, payload, status, attempts, next_attempt_at)
       VALUES ($1, 'campaign.completed', 'openapi-test', '{"data": {}}', 'failed', 3, now()) RETURNING id`,
      [id],
    );
    const events = `/v1/campaigns/${id}/webhook-events`;
    expect((await call('get', events)).status).toBe(200);
    expect((await call('post', `${events}/${rows[0].id}/retry`)).status).toBe(200);
    expect((await call('post', `${events}/${rows[0].id}/retry`)).status).toBe(409);
    expect((await call('post', `${events}/${NO_SUCH_ID}/retry`)).status).toBe(404);

    // Lifecycle, on a campaign without schedule so that it runs.
    const second = await call('post', '/v1/campaigns', {
      body: { name: 'Lifecycle', agent_id: AGENT_ID, from_numbers: [FROM] },
    });
    const c2 = `/v1/campaigns/${second.body.id}`;
    expect((await call('post', `${c2}/start`)).status).toBe(409); // no lead yet
    expect((await call('post', `${c2}/leads`, csv('phone\n+33612345679\n'))).status).toBe(201);
    expect((await call('post', `${c2}/start`)).status).toBe(200);
    expect((await call('post', `${c2}/resume`)).status).toBe(409);
    expect((await call('delete', c2)).status).toBe(409);
    expect((await call('patch', c2, { body: { agent_id: NO_SUCH_ID } })).status).toBe(409);
    expect((await call('post', `${c2}/pause`)).status).toBe(200);
    expect((await call('post', `${c2}/pause`)).status).toBe(409);
    expect((await call('post', `${c2}/resume`)).status).toBe(200);
    const again = { body: { statuses: ['exhausted', 'failed'], extra_attempts: 1 } };
    const requeued = await call('post', `${c2}/requeue`, again);
    expect(requeued.status).toBe(200);
    expect(requeued.body).toMatchObject({ moved: 0, by_status: {} });
    const badRequeue = { body: { statuses: ['completed'], extra_attempts: 0 } };
    expect((await call('post', `${c2}/requeue`, badRequeue)).status).toBe(400);
    expect((await call('post', `/v1/campaigns/${NO_SUCH_ID}/requeue`, again)).status).toBe(404);
    expect((await call('post', `${c2}/cancel`)).status).toBe(200);
    expect((await call('post', `${c2}/cancel`)).status).toBe(409);
    expect((await call('post', `${c2}/requeue`, again)).status).toBe(409);
    expect((await call('post', `${c2}/leads`, csv('phone\n+33612345671\n'))).status).toBe(409);
    expect((await call('post', `/v1/campaigns/${NO_SUCH_ID}/start`)).status).toBe(404);
    expect((await call('post', `/v1/campaigns/${NO_SUCH_ID}/pause`)).status).toBe(404);
    expect((await call('post', `/v1/campaigns/${NO_SUCH_ID}/resume`)).status).toBe(404);
    expect((await call('post', `/v1/campaigns/${NO_SUCH_ID}/cancel`)).status).toBe(404);
    expect((await call('delete', c2)).status).toBe(204);
    expect((await call('delete', c2)).status).toBe(404);

    // Keys, the audit trail and privacy; a viewer's key is refused where its role may not go.
    const keys = '/v1/api-keys';
    const viewer = await call('post', keys, { body: { name: 'Reader', role: 'viewer' } });
    expect(viewer.status).toBe(201);
    const asViewer = { key: viewer.body.key as string };
    expect((await call('post', keys, { body: { name: 'x', role: 'owner' } })).status).toBe(400);
    const past = { name: 'Old', role: 'viewer', expires_at: '2000-01-01T00:00:00Z' };
    expect((await call('post', keys, { body: past })).status).toBe(400);
    expect((await call('post', keys, { ...asViewer, body: past })).status).toBe(403);
    expect((await call('get', keys)).status).toBe(200);
    expect((await call('get', keys, asViewer)).status).toBe(403);
    expect((await call('get', `/v1/campaigns/${id}/report`, asViewer)).status).toBe(200);
    const me = await call('get', '/v1/me', asViewer);
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('viewer');
    expect((await call('post', `${c2}/start`, asViewer)).status).toBe(403);
    const audit = '/v1/audit-events';
    expect((await call('get', `${audit}?action=campaign.create`)).status).toBe(200);
    expect((await call('get', `${audit}?from=yesterday`)).status).toBe(400);
    expect((await call('get', audit, asViewer)).status).toBe(403);
    expect((await call('get', `${audit}.csv`)).status).toBe(200);
    expect((await call('get', `${audit}.csv`, asViewer)).status).toBe(403);
    const person = '/v1/privacy/export?phone=%2B33612345678';
    const exported = await call('get', person);
    expect(exported.status).toBe(200);
    expect(exported.body.leads).toHaveLength(1);
    expect((await call('get', '/v1/privacy/export?phone=abc')).status).toBe(400);
    expect((await call('get', person, asViewer)).status).toBe(403);
    const erase = { body: { phone: '+33612345678' } };
    expect((await call('post', '/v1/privacy/erase', erase)).status).toBe(200);
    expect((await call('post', '/v1/privacy/erase', { body: { phone: 'abc' } })).status).toBe(400);
    expect((await call('post', '/v1/privacy/erase', { ...erase, ...asViewer })).status).toBe(403);
    expect((await call('delete', `${keys}/${viewer.body.id}`)).status).toBe(204);
    expect((await call('delete', `${keys}/${viewer.body.id}`)).status).toBe(409);
    expect((await call('delete', `${keys}/${NO_SUCH_ID}`)).status).toBe(404);

    // Last, as it shuts this address out for the minute: failed keys, then 429 for any key.
    expect((await call('get', keys, asViewer)).status).toBe(401); // revoked
    expect((await call('get', keys, { key: 'no-such-key-0123456789' })).status).toBe(401);
    const throttled = await call('get', keys);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toMatch(/^\d+$/);

    // Every operation of the document was called, and every answer was as documented.
    const called = operations().map(({ path, method }) => `${method} ${path}`);
    expect(called.filter((op) => !seen.has(op))).toEqual([]);
    expect(takeOpenApiProblems()).toEqual([]);
  });

  it('matches the client types in the repository (npm run openapi:types writes them)', async () => {
    const file = join(process.cwd(), CLIENT_TYPES_FILE);
    const generated = await clientTypesOf(doc, file);
    if (process.env.UPDATE_OPENAPI_TYPES === '1') writeFileSync(file, generated);
    const kept = readFileSync(file, 'utf8').split('\n');
    const fresh = generated.split('\n');
    const line = fresh.findIndex((text, i) => text !== kept[i]);
    const stale =
      line < 0 && kept.length === fresh.length
        ? null
        : `line ${line + 1}: kept ${JSON.stringify(kept[line])}, served ${JSON.stringify(fresh[line])}`;
    // Stale: run `npm run openapi:types` and commit clients/typescript/schema.d.ts.
    expect({ file: CLIENT_TYPES_FILE, stale }).toEqual({ file: CLIENT_TYPES_FILE, stale: null });
  });
});
