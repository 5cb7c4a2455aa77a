import { BadRequestException } from '@nestjs/common';

/**
 * Opaque page cursors: the last key of a page, base64url-encoded with the list's tag, so that
 * clients pass them back as they are and a cursor of one list is refused by another. Every part
 * of a key is checked against what the database will accept (a bigint in range, a real UUID, a
 * timestamp PostgreSQL can hold), so a crafted cursor is a 400, never a database error.
 */
export type CursorPart = 'seq' | 'micros' | 'uuid' | 'timestamp' | 'e164';

const MAX_BIGINT = 9223372036854775807n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/;
/** Microseconds since 1970 up to the year 5000: what a created_at cursor can hold. */
const MAX_MICROS = 95_617_584_000_000_000n;

const VALID: Record<CursorPart, (v: string) => boolean> = {
  seq: (v) => /^\d{1,19}$/.test(v) && BigInt(v) <= MAX_BIGINT,
  micros: (v) => /^\d{1,17}$/.test(v) && BigInt(v) <= MAX_MICROS,
  uuid: (v) => UUID.test(v),
  timestamp: isCalendarTimestamp,
  e164: (v) => /^\+\d{1,20}$/.test(v),
};

/** A UTC timestamp PostgreSQL accepts: a real calendar day (no 31 February), hours 00–23. */
function isCalendarTimestamp(v: string): boolean {
  const m = ISO_UTC.exec(v);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < 1970 || year > 5000 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function encodeCursor(tag: string, ...parts: string[]): string {
  return Buffer.from(`${tag}:${parts.join('|')}`, 'utf8').toString('base64url');
}

/** The parts inside a cursor; 400 naming `cursor` unless encodeCursor(tag, …) made it. */
export function decodeCursor(tag: string, cursor: string, kinds: CursorPart[]): string[] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const parts = text.startsWith(`${tag}:`) ? text.slice(tag.length + 1).split('|') : [];
  if (parts.length !== kinds.length || !kinds.every((k, i) => VALID[k](parts[i]))) {
    throw new BadRequestException({
      message: 'cursor is not valid: pass the next_cursor of the previous page unchanged',
      details: [{ field: 'cursor', message: 'not a cursor of this list' }],
    });
  }
  return parts;
}
