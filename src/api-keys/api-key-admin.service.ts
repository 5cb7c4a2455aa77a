import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hashKey, keyPrefix, newKeySecret } from '../auth/api-key-hash';
import { AuditTrail } from '../audit/audit-trail.service';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../core/runtime';
import type {
  ApiKeyDto,
  ApiKeyPageDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQuery,
} from './dto/api-key.dto';
import { ADVISORY_LOCKS } from '../common/advisory-locks';

interface KeyRow {
  id: string;
  name: string;
  role: ApiKeyDto['role'];
  key_prefix: string;
  created_at: Date;
  created_us: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = `id, name, role, key_prefix, created_at, expires_at, last_used_at, revoked_at,
                 (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us`;
const CURSOR_TAG = 'api-keys';

/**
 * The keys an admin hands out: created with a role (the secret answered once, its hash
 * stored), listed, revoked. A revoked key stays listed, and its audit events keep its name.
 */
@Injectable()
export class ApiKeyAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const now = this.clock.now();
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    if (expiresAt && expiresAt <= now) {
      throw new BadRequestException({
        message: 'expires_at must be in the future',
        details: [{ field: 'expires_at', message: 'must be in the future' }],
      });
    }
    const key = newKeySecret();
    return this.db.transaction(async (tx) => {
      const [row]: KeyRow[] = await tx.query(
        `INSERT INTO api_keys (key_hash, key_prefix, name, role, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [hashKey(key), keyPrefix(key), dto.name.trim(), dto.role, expiresAt, now],
      );
      await this.audit.record(tx, {
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: row.id,
        summary: { name: row.name, role: row.role, expires_at: iso(row.expires_at) },
      });
      return { ...this.view(row, now), key };
    });
  }

  async list(q: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    const limit = q.limit ?? 100;
    const params: unknown[] = [limit + 1];
    let where = '';
    if (q.cursor) {
      const [us, id] = decodeCursor(CURSOR_TAG, q.cursor, ['micros', 'uuid']);
      where = `WHERE (created_at, id) < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::uuid)`;
      params.push(us, id);
    }
    const rows: KeyRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM api_keys ${where} ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
    const page = rows.slice(0, limit);
    const now = this.clock.now();
    const last = page[page.length - 1];
    return {
      data: page.map((r) => this.view(r, now)),
      next_cursor: rows.length > limit ? encodeCursor(CURSOR_TAG, last.created_us, last.id) : null,
    };
  }

  /**
   * Revokes a key for good: the next request with it is refused, on every instance (keys are
   * read per request). The last active admin key cannot go while API_KEYS is unset: nobody
   * could manage keys any more.
   */
  async revoke(id: string): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      // Serialises revocations, so two admins cannot each revoke "the other" last admin key.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.apiKeyRevocation]);
      const [row]: KeyRow[] = await tx.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
      if (!row) throw new NotFoundException(`API key ${id} does not exist`);
      if (row.revoked_at) throw new ConflictException(`API key ${id} is already revoked`);
      if (row.role === 'admin' && this.config.apiKeys.length === 0) {
        const [{ others }]: { others: number }[] = await tx.query(
          `SELECT count(*)::int AS others FROM api_keys
            WHERE role = 'admin' AND id <> $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
          [id, now],
        );
        if (others === 0)
          throw new ConflictException(
            'This is the last active admin key and API_KEYS is unset: create another admin key first',
          );
      }
      await tx.query(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1`, [id, now]);
      await this.audit.record(tx, {
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: id,
        summary: { name: row.name, role: row.role },
      });
    });
  }

  private view(r: KeyRow, now: Date): ApiKeyDto {
    return {
      id: r.id,
      name: r.name,
      role: r.role,
      key_prefix: r.key_prefix,
      status: r.revoked_at ? 'revoked' : r.expires_at && r.expires_at <= now ? 'expired' : 'active',
      created_at: iso(r.created_at)!,
      expires_at: iso(r.expires_at),
      last_used_at: iso(r.last_used_at),
      revoked_at: iso(r.revoked_at),
    };
  }
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
