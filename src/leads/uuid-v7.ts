import { randomFillSync } from 'node:crypto';

const POOL_IDS = 4096;

/**
 * Time-ordered UUIDs (RFC 9562, version 7: Unix milliseconds, then 74 random bits), written as
 * their 16 bytes straight into a Buffer. Ids that grow with time land on the rightmost pages of
 * the leads' primary key: random version-4 ids, inserted all over it, cost PostgreSQL about 3 s
 * more CPU per million imported leads (bench/import/RESULTS.md).
 */
export class UuidV7Writer {
  private readonly random = Buffer.allocUnsafe(10 * POOL_IDS);
  private used = this.random.length;

  /** Writes one id at `at`; returns the offset after it. */
  write(target: Buffer, at: number, now = Date.now()): number {
    if (this.used === this.random.length) {
      randomFillSync(this.random);
      this.used = 0;
    }
    target.writeUIntBE(now, at, 6);
    this.random.copy(target, at + 6, this.used, this.used + 10);
    this.used += 10;
    target[at + 6] = 0x70 | (target[at + 6] & 0x0f); // version 7
    target[at + 8] = 0x80 | (target[at + 8] & 0x3f); // variant 10
    return at + 16;
  }
}
