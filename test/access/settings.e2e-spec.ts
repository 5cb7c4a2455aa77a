import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError, loadAppConfig } from '../../src/config/app-config';
import { type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { TEST_API_KEY } from '../kit/app';

function problems(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('access settings', () => {
  it('reads and validates BIND_ADDRESS, AUTH_FAILURES_PER_MINUTE, WEBHOOK_ALLOWED_HOSTS, DATA_RETENTION_DAYS', () => {
    const c = loadAppConfig({
      BIND_ADDRESS: '127.0.0.1',
      AUTH_FAILURES_PER_MINUTE: '5',
      WEBHOOK_ALLOWED_HOSTS: ' CRM.internal , 10.0.0.7,[fd00::1]',
      DATA_RETENTION_DAYS: '365',
    });
    expect(c).toMatchObject({
      BIND_ADDRESS: '127.0.0.1',
      AUTH_FAILURES_PER_MINUTE: 5,
      DATA_RETENTION_DAYS: 365,
    });
    expect(c.webhookAllowedHosts).toEqual(['crm.internal', '10.0.0.7', 'fd00::1']);
    const defaults = loadAppConfig({});
    expect(defaults).toMatchObject({
      AUTH_FAILURES_PER_MINUTE: 20,
      DATA_RETENTION_DAYS: undefined,
      BIND_ADDRESS: undefined,
    });
    expect(defaults.webhookAllowedHosts).toEqual([]);
    const bad = problems({
      BIND_ADDRESS: 'everywhere',
      AUTH_FAILURES_PER_MINUTE: '0',
      WEBHOOK_ALLOWED_HOSTS: 'http://crm/',
      DATA_RETENTION_DAYS: 'forever',
    });
    for (const name of [
      'BIND_ADDRESS',
      'AUTH_FAILURES_PER_MINUTE',
      'WEBHOOK_ALLOWED_HOSTS',
      'DATA_RETENTION_DAYS',
    ])
      expect(bad.some((p) => p.startsWith(name))).toBe(true);
  });
});

describe('security headers', () => {
  let env: LeadsTestEnv;
  beforeAll(async () => {
    env = await startLeadsEnv({ APP_ROLE: 'api' });
  });
  afterAll(async () => env?.close());

  it('nosniff everywhere, no-store on /v1 (errors included), a request id on /v1', async () => {
    const health = await env.http().get('/health').expect(200);
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    const ok = await env.http().get('/v1/campaigns').set('X-Api-Key', TEST_API_KEY).expect(200);
    expect(ok.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await env.http().get('/v1/campaigns').expect(401);
    expect(refused.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });
});
