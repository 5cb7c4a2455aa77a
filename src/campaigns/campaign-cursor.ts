import { BadRequestException } from '@nestjs/common';

/** A page boundary: the last campaign's creation time in microseconds (exact) and its id. */
export interface CampaignCursor {
  createdUs: string;
  id: string;
}

export function encodeCursor(cursor: CampaignCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdUs, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): CampaignCursor {
  try {
    const [createdUs, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdUs === 'string' && /^\d{1,20}$/.test(createdUs) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
      return { createdUs, id };
    }
  } catch {
    // fall through
  }
  throw new BadRequestException({
    message: 'cursor is not a cursor this service gave: pass the next_cursor of the previous page',
    details: [{ field: 'cursor', message: 'is not valid' }],
  });
}
