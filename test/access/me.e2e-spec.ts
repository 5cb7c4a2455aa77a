import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Role } from '../../src/auth/roles';
import { TEST_API_KEY } from '../kit/app';
import { type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { createKey } from './support';

const ROLES: Role[] = ['admin', 'manager', 'viewer', 'compliance'];

/** `GET /v1/me`: who a key is, and exactly the operations the roles guard lets its role call. */
describe('GET /v1/me', () => {
  let env: LeadsTestEnv;
  let doc: { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
  const keys = {} as Record<Role, { id: string; key: string }>;

  beforeAll(async () => {
    env = await startLeadsEnv({ APP_ROLE: 'api' });
    for (const role of ROLES)
      keys[role] = await createKey(env.http, role, { name: `${role} desk` });
    doc = (await env.http().get('/docs-json').expect(200)).body;
  });
  afterAll(async () => env?.close());

  it('answers the key’s id, name and role to every role', async () => {
    for (const role of ROLES) {
      const res = await env.http().get('/v1/me').set('X-Api-Key', keys[role].key);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ key_id: keys[role].id, name: `${role} desk`, role });
    }
    const fromEnv = await env.http().get('/v1/me').set('X-Api-Key', TEST_API_KEY);
    expect(fromEnv.status).toBe(200);
    expect(fromEnv.body.role).toBe('admin');
    expect(fromEnv.body.key_id).toMatch(/^env:/);
    expect(JSON.stringify(fromEnv.body)).not.toContain(TEST_API_KEY);
  });

  it('lists as permissions exactly the operations whose x-roles name the role', async () => {
    for (const role of ROLES) {
      const expected = Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/v1'))
        .flatMap(([path, ops]) =>
          Object.entries(ops)
            .filter(([, op]) => op['x-roles']?.includes(role))
            .map(([method]) => `${method.toUpperCase()} ${path}`),
        )
        .sort();
      const res = await env.http().get('/v1/me').set('X-Api-Key', keys[role].key);
      expect([...res.body.permissions].sort()).toEqual(expected);
    }
    const viewer = (await env.http().get('/v1/me').set('X-Api-Key', keys.viewer.key)).body;
    expect(viewer.permissions).toContain('GET /v1/campaigns/{id}');
    expect(viewer.permissions).not.toContain('POST /v1/campaigns/{id}/start');
    const compliance = (await env.http().get('/v1/me').set('X-Api-Key', keys.compliance.key)).body;
    expect(compliance.permissions).toContain('DELETE /v1/suppressions/{phone}');
    expect(compliance.permissions).not.toContain('GET /v1/campaigns');
  });

  it('refuses a missing or wrong key with 401', async () => {
    expect((await env.http().get('/v1/me')).status).toBe(401);
    expect((await env.http().get('/v1/me').set('X-Api-Key', 'not-a-key-at-all')).status).toBe(401);
  });
});
