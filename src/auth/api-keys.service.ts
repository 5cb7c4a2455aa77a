import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const CACHE_MS = 10_000;

/**
 * Decides whether an `X-Api-Key` is accepted: the keys of `API_KEYS` when set, else the hashes
 * stored in PostgreSQL (the first instance to start generates one and prints it once).
 */
@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly configured: Buffer[];
  private stored?: { hashes: Set<string>; at: number };

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.configured = config.apiKeys.map((k) => Buffer.from(hash(k), 'hex'));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.configured.length > 0) return;
    const key = await this.generateFirstKey();
    if (key) {
      // Printed once, on stdout, on purpose: this is the only time the key exists in clear.
      const line = '='.repeat(72);
      process.stdout.write(
        `\n${line}\nNo API_KEYS set: generated an API key for /v1 (shown only this once, store it now):\n\n    ${key}\n\nSend it as the X-Api-Key header. Only its hash is stored.\n${line}\n\n`,
      );
    }
  }

  async isValid(key: string | undefined): Promise<boolean> {
    if (!key) return false;
    const digest = Buffer.from(hash(key), 'hex');
    if (this.configured.length > 0) return this.configured.some((h) => timingSafeEqual(h, digest));
    return (await this.storedHashes()).has(digest.toString('hex'));
  }

  /** Creates a key when none exists; the advisory lock keeps two starting instances from both doing it. */
  private async generateFirstKey(): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(727274002)');
      const [{ count }] = await tx.query('SELECT count(*)::int AS count FROM api_keys');
      if (count > 0) return undefined;
      const key = `crk_${randomBytes(24).toString('base64url')}`;
      await tx.query('INSERT INTO api_keys (key_hash, key_prefix) VALUES ($1, $2)', [
        hash(key),
        key.slice(0, 8),
      ]);
      this.logger.log(`Generated the first API key (prefix ${key.slice(0, 8)})`);
      return key;
    });
  }

  private async storedHashes(): Promise<Set<string>> {
    if (this.stored && Date.now() - this.stored.at < CACHE_MS) return this.stored.hashes;
    const rows: { key_hash: string }[] = await this.db.query('SELECT key_hash FROM api_keys');
    this.stored = { hashes: new Set(rows.map((r) => r.key_hash)), at: Date.now() };
    return this.stored.hashes;
  }
}
