import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TEST_API_KEY } from '../kit/app';
import { type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { createKey, expectErrorBody } from './support';

describe('managed API keys', () => {
  let env: LeadsTestEnv;
  /** A second instance on the same database. */
  let other: INestApplication;
  const otherHttp = () => request(other.getHttpServer());

  beforeAll(async () => {
    env = await startLeadsEnv();
    other = await startTestApp({
      databaseUrl: env.db.url,
      platformUrl: env.sim.url,
      platformKey: env.sim.apiKey,
    });
  });
  afterAll(async () => {
    await other?.close();
    await env?.close();
  });

  it('shows the secret once, stores only its hash, and the key acts in its role', async () => {
    const res = await env
      .http()
      .post('/v1/api-keys')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ name: 'Sales reports', role: 'viewer' })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'Sales reports',
      role: 'viewer',
      status: 'active',
      expires_at: null,
    });
    expect(res.body.key).toMatch(/^crk_[A-Za-z0-9_-]{32}$/);
    expect(res.body.key_prefix).toBe(res.body.key.slice(0, 8));
    const { rows } = await env.pg.query('SELECT key_hash FROM api_keys WHERE id = $1', [
      res.body.id,
    ]);
    expect(rows[0].key_hash).toBe(createHash('sha256').update(res.body.key).digest('hex'));

    const list = await env.http().get('/v1/api-keys').set('X-Api-Key', TEST_API_KEY).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    expect(list.body.data.find((k: { id: string }) => k.id === res.body.id)).toMatchObject({
      name: 'Sales reports',
    });

    await env.http().get('/v1/campaigns').set('X-Api-Key', res.body.key).expect(200);
    const refused = await env
      .http()
      .post('/v1/campaigns')
      .set('X-Api-Key', res.body.key)
      .send({})
      .expect(403);
    expectErrorBody(refused.body, 403);
    // Recorded after the answer (it never delays a request): wait for it.
    for (let i = 0; ; i++) {
      const used = await env.pg.query('SELECT last_used_at FROM api_keys WHERE id = $1', [
        res.body.id,
      ]);
      if (used.rows[0].last_used_at) break;
      if (i > 200) throw new Error('last_used_at never recorded');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('refuses invalid keys to create with the contract body naming the field', async () => {
    const bad = await env
      .http()
      .post('/v1/api-keys')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ name: 'x', role: 'root' })
      .expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
    const past = await env
      .http()
      .post('/v1/api-keys')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ name: 'x', role: 'viewer', expires_at: '2001-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body.details).toEqual([expect.objectContaining({ field: 'expires_at' })]);
  });

  it('a revoked key is refused at once by every instance', async () => {
    const { id, key } = await createKey(env.http, 'manager');
    await otherHttp().get('/v1/campaigns').set('X-Api-Key', key).expect(200);
    await env.http().delete(`/v1/api-keys/${id}`).set('X-Api-Key', TEST_API_KEY).expect(204);
    const res = await otherHttp().get('/v1/campaigns').set('X-Api-Key', key).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'This API key was revoked',
    });
    await env.http().delete(`/v1/api-keys/${id}`).set('X-Api-Key', TEST_API_KEY).expect(409);
    const listed = await env.http().get('/v1/api-keys').set('X-Api-Key', TEST_API_KEY).expect(200);
    expect(listed.body.data.find((k: { id: string }) => k.id === id).status).toBe('revoked');
  });

  it('an expired key is refused', async () => {
    const { id, key } = await createKey(env.http, 'viewer', {
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    await env.http().get('/v1/campaigns').set('X-Api-Key', key).expect(200);
    await env.pg.query(
      `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    const res = await env.http().get('/v1/campaigns').set('X-Api-Key', key).expect(401);
    expect(res.body.message).toBe('This API key has expired');
  });

  it('pages the listing', async () => {
    for (let i = 0; i < 3; i++) await createKey(env.http, 'viewer', { name: `page ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await env
        .http()
        .get('/v1/api-keys')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('X-Api-Key', TEST_API_KEY)
        .expect(200);
      seen.push(...res.body.data.map((k: { id: string }) => k.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    const { rows } = await env.pg.query(
      'SELECT id FROM api_keys ORDER BY created_at DESC, id DESC',
    );
    expect(seen).toEqual(rows.map((r) => r.id));
  });
});

describe('failed authentication throttle, shared by instances', () => {
  let env: LeadsTestEnv;
  const apps: INestApplication[] = [];
  // A fixed minute: the count never straddles two windows, however slow the machine.
  const clock = { now: () => new Date('2031-05-06T07:08:09.000Z') };

  beforeAll(async () => {
    env = await startLeadsEnv();
    for (let i = 0; i < 2; i++)
      apps.push(
        await startTestApp({
          databaseUrl: env.db.url,
          platformUrl: env.sim.url,
          platformKey: env.sim.apiKey,
          clock,
          env: { AUTH_FAILURES_PER_MINUTE: '3' },
        }),
      );
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await env?.close();
  });

  it('answers 429 with Retry-After once an address failed too often, on every instance', async () => {
    const on = (i: number) => request(apps[i].getHttpServer());
    for (let i = 0; i < 3; i++)
      await on(i % 2)
        .get('/v1/campaigns')
        .set('X-Api-Key', `wrong-${i}`)
        .expect(401);
    for (const i of [0, 1]) {
      const res = await on(i).get('/v1/campaigns').set('X-Api-Key', 'wrong-again').expect(429);
      expectErrorBody(res.body, 429);
      expect(res.headers['retry-after']).toBe('51');
      // A valid key from that address waits too: the answer must not tell which keys are good.
      await on(i).get('/v1/campaigns').set('X-Api-Key', TEST_API_KEY).expect(429);
    }
    const { rows } = await env.pg.query('SELECT client, failures FROM auth_failures');
    expect(rows).toEqual([{ client: '127.0.0.1', failures: 3 }]);
    // A missing key is not a guess: it is not counted (and still answered 401).
    await on(0).get('/v1/campaigns').expect(401);
  });
});
