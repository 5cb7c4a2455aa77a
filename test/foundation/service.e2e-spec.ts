import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { migrations } from '../../migrations/index';
import { createTestDatabase, TestDatabase } from '../kit/database';
import { startTestApp, TEST_API_KEY } from '../kit/app';

describe('service foundation (real PostgreSQL, real Nest app)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({
      databaseUrl: db.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-key',
    });
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('applies every migration to an empty database, and a second run is a no-op', async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT name FROM migrations ORDER BY id');
    await c.end();
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    expect(await runMigrations(db.url)).toEqual([]);
  });

  it('serves /health without a key, with the database state and platform mode', async () => {
    const res = await http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up', platform: { mode: 'live' } });
  });

  it('answers 401 JSON on /v1 without a key or with a wrong one', async () => {
    const missing = await http.get('/v1/campaigns').expect(401);
    expect(missing.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing X-Api-Key header',
    });
    const wrong = await http.get('/v1/campaigns').set('X-Api-Key', 'nope').expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid API key',
    });
  });

  it('accepts a configured key', async () => {
    const res = await http.get('/v1/campaigns').set('X-Api-Key', TEST_API_KEY);
    expect(res.status).not.toBe(401);
  });

  it('answers unknown routes and bad JSON with the contract error body', async () => {
    const notFound = await http.get('/nowhere').expect(404);
    expect(notFound.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const badJson = await http
      .post('/v1/campaigns')
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(badJson.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid JSON',
    });
  });

  it('exposes Prometheus metrics, process and HTTP', async () => {
    await http.get('/health');
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('process_resident_memory_bytes');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health"/);
  });

  it('serves the OpenAPI document and UI without a key', async () => {
    const doc = await http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/health', '/metrics']));
    expect(doc.body.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      name: 'X-Api-Key',
    });
    await http.get('/docs').expect(200);
  });
});
