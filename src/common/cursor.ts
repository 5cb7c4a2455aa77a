import { BadRequestException } from '@nestjs/common';

/**
 * Opaque page cursors: the last key of a page, base64url-encoded with a tag, so that clients
 * pass them back as they are and a cursor of one list is refused by another.
 */
export function encodeCursor(tag: string, key: string): string {
  return Buffer.from(`${tag}:${key}`, 'utf8').toString('base64url');
}

/** The key inside a cursor; 400 naming `cursor` when it was not made by encodeCursor(tag). */
export function decodeCursor(tag: string, cursor: string, keyPattern: RegExp): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith(`${tag}:`) ? text.slice(tag.length + 1) : '';
  if (!keyPattern.test(key)) {
    throw new BadRequestException({
      message: 'cursor is not valid: pass the next_cursor of the previous page unchanged',
      details: [{ field: 'cursor', message: 'not a cursor of this list' }],
    });
  }
  return key;
}
