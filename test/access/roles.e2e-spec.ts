import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/roles';
import { type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { createKey, expectErrorBody } from './support';

/**
 * The roles table of the README, operation by operation. The test walks the served OpenAPI
 * document: every /v1 operation must be listed here, say these roles as `x-roles`, and answer
 * 403 (the contract's body, nothing written) to every other role and anything but 401/403 to
 * the roles it names.
 */
const M = ['admin', 'manager'] as const;
const MV = ['admin', 'manager', 'viewer'] as const;
const MC = ['admin', 'manager', 'compliance'] as const;
const C = ['admin', 'compliance'] as const;
const A = ['admin'] as const;
const ALL = ['admin', 'manager', 'viewer', 'compliance'] as const;
const TABLE: Record<string, readonly Role[]> = {
  'POST /v1/campaigns': M,
  'GET /v1/campaigns': MV,
  'GET /v1/campaigns/{id}': MV,
  'GET /v1/campaigns/{id}/eligibility': MV,
  'PATCH /v1/campaigns/{id}': M,
  'DELETE /v1/campaigns/{id}': M,
  'POST /v1/campaigns/{id}/start': M,
  'POST /v1/campaigns/{id}/pause': M,
  'POST /v1/campaigns/{id}/requeue': M,
  'POST /v1/campaigns/{id}/resume': M,
  'POST /v1/campaigns/{id}/cancel': M,
  'POST /v1/campaigns/{id}/run-now': M,
  'GET /v1/schedule-preview': MV,
  'GET /v1/agents/{agentId}': MV,
  'POST /v1/campaigns/{id}/leads': M,
  'GET /v1/campaigns/{id}/leads': MV,
  'GET /v1/campaigns/{id}/leads/{leadId}': MV,
  'GET /v1/campaigns/{id}/leads/{leadId}/calls/{callId}/transcript': MV,
  'POST /v1/campaigns/{id}/leads/{leadId}/requeue': M,
  'GET /v1/campaigns/{id}/imports': MV,
  'GET /v1/campaigns/{id}/imports/{importId}': MV,
  'GET /v1/campaigns/{id}/imports/{importId}/errors.csv': MV,
  'GET /v1/lead-template.csv': MV,
  'POST /v1/campaigns/{id}/clone': M,
  'POST /v1/campaigns/{id}/test-call': M,
  'GET /v1/campaigns/{id}/test-calls': MV,
  'GET /v1/campaigns/{id}/report': MV,
  'GET /v1/campaigns/{id}/report.csv': MV,
  'GET /v1/campaigns/{id}/report.xlsx': MV,
  'GET /v1/campaigns/{id}/webhook-events': MV,
  'POST /v1/campaigns/{id}/webhook-events/{eventId}/retry': M,
  'POST /v1/suppressions': MC,
  'GET /v1/suppressions': MC,
  'DELETE /v1/suppressions/{phone}': C,
  'POST /v1/api-keys': A,
  'GET /v1/api-keys': A,
  'DELETE /v1/api-keys/{keyId}': A,
  'GET /v1/me': ALL,
  'GET /v1/audit-events': C,
  'GET /v1/audit-events.csv': C,
  'POST /v1/privacy/erase': C,
  'GET /v1/privacy/export': C,
};
const ALL_ROLES: Role[] = ['admin', 'manager', 'viewer', 'compliance'];

interface Operation {
  'x-roles'?: string[];
}

describe('roles: every route gets exactly the roles of the table', () => {
  let env: LeadsTestEnv;
  let doc: { paths: Record<string, Record<string, Operation>> };
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    // The api role: no dialler moves a campaign behind the test's back.
    env = await startLeadsEnv({ APP_ROLE: 'api' });
    for (const role of ALL_ROLES) keys[role] = (await createKey(env.http, role)).key;
    doc = (await env.http().get('/docs-json').expect(200)).body;
  });
  afterAll(async () => env?.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        path,
        method,
        op,
      })),
    );

  it('lists the roles of every operation in the OpenAPI document, as the table says', () => {
    const v1 = operations().filter((o) => o.path.startsWith('/v1'));
    expect(Object.fromEntries(v1.map((o) => [o.key, o.op['x-roles']]))).toEqual(
      Object.fromEntries(Object.entries(TABLE).map(([k, roles]) => [k, [...roles]])),
    );
    for (const o of operations().filter((x) => !x.path.startsWith('/v1')))
      expect(o.op['x-roles']).toEqual(['public']);
  });

  it('answers 403 with the contract body to every other role, writing nothing', async () => {
    const audited = async () =>
      (await env.pg.query('SELECT count(*)::int AS n FROM audit_events')).rows[0].n as number;
    const before = await audited();
    const seen: string[] = [];
    for (const { key, path, method } of operations().filter((o) => o.path.startsWith('/v1'))) {
      const url = path
        .replace(/\{phone\}/, '%2B33612345678')
        .replace(/\{[^}]+\}/g, () => randomUUID());
      for (const role of ALL_ROLES) {
        const http = env.http();
        const res = await http[method as 'get' | 'post' | 'patch' | 'delete'](url)
          .set('X-Api-Key', keys[role])
          .send(method === 'get' || method === 'delete' ? undefined : {});
        const allowed = TABLE[key].includes(role);
        if (allowed) {
          if ([401, 403].includes(res.status))
            throw new Error(`${role} refused on ${key}: ${res.status} ${res.text}`);
        } else {
          if (res.status !== 403)
            throw new Error(`${role} not refused on ${key}: ${res.status} ${res.text}`);
          expectErrorBody(res.body, 403);
          expect(res.body.message).toContain(role);
        }
        seen.push(`${key} ${role}`);
      }
    }
    expect(seen).toHaveLength(Object.keys(TABLE).length * ALL_ROLES.length);
    // Allowed requests above were all refused for bad input or missing targets: no change either.
    expect(await audited()).toBe(before);
  });
});
