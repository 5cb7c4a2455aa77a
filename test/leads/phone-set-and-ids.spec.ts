import { describe, expect, it } from '@jest/globals';
import { PhoneSet } from '../../src/leads/phone-set';
import { UuidV7Writer } from '../../src/leads/uuid-v7';

describe('PhoneSet', () => {
  it('remembers every number across growth, and only those', () => {
    const set = new PhoneSet();
    const added: string[] = [];
    // Numbers of different lengths and countries, enough to grow the table several times.
    for (let i = 0; i < 50_000; i++) {
      const phone = i % 3 === 0 ? `+336${10_000_000 + i * 7}` : `+1${2_025_550_000 + i * 13}`;
      expect(set.add(phone)).toBe(true);
      added.push(phone);
    }
    expect(set.size).toBe(50_000);
    for (const phone of added) expect(set.add(phone)).toBe(false);
    expect(set.add('+33612345678')).toBe(true);
    expect(set.add('+3361234567')).toBe(true); // a prefix is another number
    expect(set.add('+447911123456')).toBe(true);
    expect(set.add('+447911123456')).toBe(false);
    // The longest E.164 numbers (15 digits) stay exact.
    expect(set.add('+999999999999999')).toBe(true);
    expect(set.add('+999999999999998')).toBe(true);
    expect(set.add('+999999999999999')).toBe(false);
    expect(set.size).toBe(50_000 + 5);
  });
});

describe('UuidV7Writer', () => {
  const text = (b: Buffer) =>
    b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

  it('writes RFC 9562 version 7 ids: the time first, version and variant bits set, all distinct', () => {
    const writer = new UuidV7Writer();
    const buf = Buffer.alloc(16 * 10_000);
    const now = Date.UTC(2026, 10, 22, 2, 0, 0);
    let at = 0;
    for (let i = 0; i < 10_000; i++) at = writer.write(buf, at, now + Math.floor(i / 100));
    expect(at).toBe(buf.length);
    const ids = Array.from({ length: 10_000 }, (_, i) => text(buf.subarray(i * 16, i * 16 + 16)));
    expect(new Set(ids).size).toBe(10_000);
    for (const [i, id] of ids.entries()) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(now + Math.floor(i / 100));
    }
    // Ids of later milliseconds sort after earlier ones, as text and as PostgreSQL's uuid order.
    expect(ids[9_999] > ids[0]).toBe(true);
    expect(ids[100] > ids[99]).toBe(true);
  });
});
