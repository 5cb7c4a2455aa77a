/**
 * What every operation of the served document says the same way, so no route can forget it:
 * the contract's error body on every error answer, the API key's 401 and 429, the role's 403 and
 * the validation 400 on every /v1 route, the JSON body limit, the unexpected 5xx, and the routes that need no key.
 */

interface Operation {
  requestBody?: { content?: Record<string, unknown> };
  responses: Record<string, ResponseObject>;
  security?: unknown[];
  tags?: string[];
  [key: string]: unknown;
}

interface ResponseObject {
  description: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, unknown>;
}

export interface OpenApiDocumentShape {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

/** The contract's error body (src/common/error-body.ts). */
export const ERROR_SCHEMAS = {
  ErrorDetail: {
    type: 'object',
    description: 'One problem of the request.',
    properties: {
      field: {
        type: 'string',
        example: 'max_concurrent_calls',
        description:
          'The field, query parameter or file part at fault (`file` for the file itself).',
      },
      message: { type: 'string', example: 'max_concurrent_calls must not be greater than 1000' },
      row: {
        type: 'integer',
        description: 'For an unreadable CSV: the row, as a spreadsheet numbers it.',
      },
    },
    required: ['field', 'message'],
    additionalProperties: false,
  },
  ErrorBody: {
    type: 'object',
    description: 'Every 4xx and 5xx answer. A rejected request changes nothing.',
    properties: {
      statusCode: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
      error: { type: 'string', example: 'Bad Request', description: 'The HTTP reason phrase.' },
      message: { type: 'string', example: 'max_concurrent_calls must not be greater than 1000' },
      details: {
        type: 'array',
        items: { $ref: '#/components/schemas/ErrorDetail' },
        description: 'Present when the problem lies in named fields: one entry each.',
      },
    },
    required: ['statusCode', 'error', 'message'],
    additionalProperties: false,
  },
};

const ERROR_CONTENT = {
  'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } },
};
export const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer' },
  },
};

/** The answers the service's own layers give on every route they cover. */
const UNAUTHORIZED =
  'The X-Api-Key header is missing or names no key; nothing was read or changed.';
const FORBIDDEN =
  'The key’s role may not do this (`x-roles` lists the roles that may); nothing was read or changed.';
/** The key check counts failed authentications per client address and minute (any /v1 route). */
const AUTH_THROTTLED =
  'Too many failed authentications from this address this minute (AUTH_FAILURES_PER_MINUTE); retry after the Retry-After header (seconds).';
const BAD_REQUEST =
  'Invalid request: a path, query or body field is missing, unknown or invalid (`details` names each), or the body is not valid JSON.';
const JSON_TOO_LARGE = 'The JSON body is larger than 5 MB.';
const NOT_MODIFIED =
  'Not modified: the answer still matches the ETag sent in If-None-Match (no body).';
/** Answers Express sends whole, with an ETag (streamed exports have none). */
const WITH_ETAG = new Set(['application/json', 'text/plain', 'text/html']);
const UNEXPECTED =
  'An unexpected error (500), or no database connection came free in time (503, with Retry-After: try again).';

/** Served without a key: operations, and the document itself. */
const OPEN_PATHS = new Set(['/health', '/metrics', '/docs', '/docs-json']);

const DOCS_PATHS: Record<string, Record<string, Operation>> = {
  '/docs': {
    get: {
      operationId: 'docs_ui',
      summary: 'This document, as a web page (Swagger UI)',
      tags: ['operations'],
      'x-roles': ['public'],
      responses: {
        '200': {
          description: 'The page',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
      },
    },
  },
  '/docs-json': {
    get: {
      operationId: 'docs_json',
      summary: 'This OpenAPI document',
      tags: ['operations'],
      'x-roles': ['public'],
      responses: {
        '200': {
          description: 'The OpenAPI 3.1 document',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  },
};

function ensure(op: Operation, status: string, description: string): void {
  op.responses[status] ??= { description };
}

/** Routes with a 429 of their own keep it and say that the key check's 429 may come first. */
function throttledAuth(op: Operation): void {
  const own = op.responses['429'];
  if (!own) op.responses['429'] = { description: AUTH_THROTTLED, headers: RETRY_AFTER };
  else {
    own.description = `${own.description} Or: ${AUTH_THROTTLED[0].toLowerCase()}${AUTH_THROTTLED.slice(1)}`;
    own.headers ??= RETRY_AFTER;
  }
}

function sortedResponses(
  responses: Record<string, ResponseObject>,
): Record<string, ResponseObject> {
  const order = (s: string) => (s === 'default' ? 1000 : Number(s));
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => order(a) - order(b)));
}

function applyToOperation(path: string, method: string, op: Operation): void {
  if (path.startsWith('/v1/')) {
    ensure(op, '400', BAD_REQUEST);
    ensure(op, '401', UNAUTHORIZED);
    ensure(op, '403', FORBIDDEN);
    throttledAuth(op);
    if (op.requestBody?.content?.['application/json']) ensure(op, '413', JSON_TOO_LARGE);
  }
  if (OPEN_PATHS.has(path)) op.security = [];
  const ok = Object.keys(op.responses['200']?.content ?? {});
  if (method === 'get' && ok.some((media) => WITH_ETAG.has(media))) ensure(op, '304', NOT_MODIFIED);
  ensure(op, 'default', UNEXPECTED);
  for (const [status, response] of Object.entries(op.responses)) {
    const isError = status === 'default' || Number(status) >= 400;
    if (isError && !response.content) response.content = ERROR_CONTENT;
    // The exception filter sends Retry-After with every 503 (429s say it where they send it).
    if (status === '503') response.headers ??= RETRY_AFTER;
    if (!response.description) response.description = status;
  }
  op.responses = sortedResponses(op.responses);
}

export function applyConventions<T extends object>(document: T): T {
  const doc = document as unknown as OpenApiDocumentShape;
  doc.paths = { ...doc.paths, ...structuredClone(DOCS_PATHS) };
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...ERROR_SCHEMAS } };
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) applyToOperation(path, method, op);
  return document;
}
