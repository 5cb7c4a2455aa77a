import type request from 'supertest';
import type { Role } from '../../src/auth/roles';
import { TEST_API_KEY } from '../kit/app';

/** A new key with `role`, created by the test's admin key (API_KEYS); answers its secret and id. */
export async function createKey(
  http: () => ReturnType<typeof request>,
  role: Role,
  extra: { name?: string; expires_at?: string } = {},
): Promise<{ id: string; key: string }> {
  const res = await http()
    .post('/v1/api-keys')
    .set('X-Api-Key', TEST_API_KEY)
    .send({ name: extra.name ?? `${role} key`, role, ...extra });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
  return { id: res.body.id, key: res.body.key };
}

/** The contract's error body. */
export function expectErrorBody(body: unknown, statusCode: number): void {
  const b = body as Record<string, unknown>;
  if (
    b.statusCode !== statusCode ||
    typeof b.error !== 'string' ||
    typeof b.message !== 'string' ||
    Object.keys(b).some((k) => !['statusCode', 'error', 'message', 'details'].includes(k))
  )
    throw new Error(`not the contract's ${statusCode} body: ${JSON.stringify(body)}`);
}
