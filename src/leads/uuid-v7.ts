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
    const high = Math.floor(now / 0x10000);
    target[at] = high >>> 24;
    target[at + 1] = high >>> 16;
    target[at + 2] = high >>> 8;
    target[at + 3] = high;
    target[at + 4] = now >>> 8;
    target[at + 5] = now;
    const r = this.random;
    const o = this.used;
    this.used += 10;
    target[at + 6] = 0x70 | (r[o] & 0x0f); // version 7
    target[at + 7] = r[o + 1];
    target[at + 8] = 0x80 | (r[o + 2] & 0x3f); // variant 10
    for (let i = 3; i < 10; i++) target[at + 6 + i] = r[o + i];
    return at + 16;
  }
}
