import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ErrorDetail {
  field: string;
  message: string;
}

/** Thrown by handlers to answer an error envelope. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Success envelope; list endpoints pass their pagination keys in `extra` (top level). */
export function sendData(
  res: ServerResponse,
  status: number,
  message: string,
  data: unknown,
  extra: Record<string, unknown> = {},
): void {
  sendJson(res, status, { message, data, error: null, status, ...extra });
}

export function sendError(res: ServerResponse, error: SimHttpError): void {
  sendJson(
    res,
    error.status,
    {
      message: error.message,
      data: null,
      error: {
        details: error.details,
        message: error.message,
        status: error.status,
        type: 'generic_error',
      },
      status: error.status,
    },
    error.headers,
  );
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Always drains the request, so keep-alive connections stay usable whatever is answered. */
export async function readBodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk as Buffer);
  }
  if (tooLarge) throw new SimHttpError(413, 'Request body too large');
  return Buffer.concat(chunks).toString('utf8');
}

/** An empty body reads as `undefined`. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimHttpError(400, 'Invalid request body', [
      { field: 'body', message: 'Body must be valid JSON' },
    ]);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
