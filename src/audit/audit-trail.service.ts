import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../core/runtime';
import { requestContext } from '../auth/request-context';
import { SYSTEM_ACTOR } from '../auth/roles';

/** Anything that runs SQL inside the caller's transaction: an EntityManager or a QueryRunner. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** One state change, as the audit trail records it. No secret and no lead data beyond ids. */
export interface AuditEntry {
  /** `campaign.create`, `suppression.remove`, `api_key.revoke`… */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** What changed: counts, ids, `{field: {before, after}}` for settings. */
  summary?: Record<string, unknown>;
}

/**
 * Writes audit rows. Always inside the change's own transaction (`tx`), so a change that rolls
 * back leaves no row and a committed one exactly one. The actor, client address and request id
 * come from the request being served; work no request asked for is recorded as `system`.
 */
@Injectable()
export class AuditTrail {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async record(tx: SqlRunner, entry: AuditEntry): Promise<void> {
    const ctx = requestContext.getStore();
    const actor = ctx?.actor ?? SYSTEM_ACTOR;
    await tx.query(
      `INSERT INTO audit_events (at, key_id, key_name, role, action, target_type, target_id, summary, client_address, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
      [
        this.clock.now(),
        actor.keyId,
        actor.keyName,
        actor.role,
        entry.action,
        entry.targetType,
        entry.targetId ?? null,
        JSON.stringify(entry.summary ?? {}),
        ctx?.clientAddress ?? null,
        ctx?.requestId ?? null,
      ],
    );
  }
}

/** `{field: {before, after}}` for every field whose value differs (compared as JSON). */
export function changes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      out[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return out;
}
