import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TooManyRequestsException } from '../common/too-many-requests';
import { AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../core/runtime';
import { hashKey, keyPrefix, newKeySecret } from './api-key-hash';
import { recordAuthFailure, secondsLeftInMinute } from './auth-throttle';
import type { Actor, Role } from './roles';
import { ADVISORY_LOCKS } from '../common/advisory-locks';

interface KeyLookup {
  failures: number;
  id: string | null;
  name: string | null;
  role: Role | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** last_used_at is kept to the minute: one write per key and minute at most. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Decides who an `X-Api-Key` is: a key of `API_KEYS` (admin), or a key stored hashed in
 * `api_keys`, not revoked and not expired, with its role. The stored keys are read on every
 * request (one indexed query, together with the address's failure count), so a revocation holds
 * on every instance at once. The first instance to start without API_KEYS and without any
 * stored key generates an admin key and prints it once.
 */
@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly configured: { hash: Buffer; actor: Actor }[];

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.configured = config.apiKeys.map((k, i) => {
      const hash = hashKey(k);
      return {
        hash: Buffer.from(hash, 'hex'),
        actor: { keyId: `env:${hash.slice(0, 12)}`, keyName: `API_KEYS #${i + 1}`, role: 'admin' },
      };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.configured.length > 0) return;
    const key = await this.generateFirstKey();
    if (key) {
      // Printed once, on stdout, on purpose: this is the only time the key exists in clear.
      const line = '='.repeat(72);
      process.stdout.write(
        `\n${line}\nNo API_KEYS set: generated an admin API key for /v1 (shown only this once, store it now):\n\n    ${key}\n\nSend it as the X-Api-Key header. Only its hash is stored.\n${line}\n\n`,
      );
    }
  }

  /**
   * The actor behind `key`, or 401 (unknown, revoked or expired key). An address with too many
   * failures this minute gets 429 before its key is even looked at, so it learns nothing.
   */
  async authenticate(key: string, client: string): Promise<Actor> {
    const now = this.clock.now();
    const digest = hashKey(key);
    const [found]: KeyLookup[] = await this.db.query(
      `SELECT coalesce((SELECT failures FROM auth_failures
                         WHERE client = $2 AND minute = date_trunc('minute', $3::timestamptz)), 0) AS failures,
              k.id, k.name, k.role, k.expires_at, k.revoked_at, k.last_used_at
         FROM (SELECT 1) one LEFT JOIN api_keys k ON k.key_hash = $1`,
      [digest, client, now],
    );
    if (found.failures >= this.config.AUTH_FAILURES_PER_MINUTE) {
      throw new TooManyRequestsException(
        'Too many failed authentications from this address: wait before trying again',
        secondsLeftInMinute(now),
      );
    }
    const env = this.configured.find((c) => timingSafeEqual(c.hash, Buffer.from(digest, 'hex')));
    if (env) return env.actor;
    const problem = !found.id
      ? 'Invalid API key'
      : found.revoked_at
        ? 'This API key was revoked'
        : found.expires_at && found.expires_at <= now
          ? 'This API key has expired'
          : null;
    if (problem) {
      await recordAuthFailure(this.db, client, now);
      throw new UnauthorizedException(problem);
    }
    this.touch(found, now);
    return { keyId: found.id!, keyName: found.name!, role: found.role! };
  }

  /** Records the use, at most once a minute per key; never delays or fails the request. */
  private touch(found: KeyLookup, now: Date): void {
    if (
      found.last_used_at &&
      now.getTime() - found.last_used_at.getTime() < LAST_USED_RESOLUTION_MS
    )
      return;
    this.db
      .query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, [found.id, now])
      .catch((e: unknown) => this.logger.warn(`Could not record a key's last use: ${String(e)}`));
  }

  /** Creates a key when none exists; the advisory lock keeps two starting instances from both doing it. */
  private async generateFirstKey(): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.firstApiKey]);
      const [{ count }] = await tx.query<{ count: number }[]>(
        'SELECT count(*)::int AS count FROM api_keys',
      );
      if (count > 0) return undefined;
      const key = newKeySecret();
      await tx.query(
        `INSERT INTO api_keys (key_hash, key_prefix, name, role) VALUES ($1, $2, 'first key', 'admin')`,
        [hashKey(key), keyPrefix(key)],
      );
      this.logger.log(`Generated the first API key (prefix ${keyPrefix(key)})`);
      return key;
    });
  }
}
