import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type Answer, OpenApiContract, type ServedDocument } from './openapi-contract';

/**
 * Checks every answer a test HTTP server gives against the OpenAPI document it serves, whoever
 * sent the request (supertest, fetch, a raw socket). The check runs in `res.end`, before the
 * last bytes leave, so a test that has its answer also has its verdict. Problems are collected
 * and reported by the test that caused them (test/setup/openapi-responses.ts) and at close.
 */

/** JSON answers longer than this are not checked (no test answer comes near it). */
const MAX_CHECKED_BYTES = 32 * 1024 * 1024;

const found: string[] = [];

/** The problems found since the last call, and forgets them. */
export function takeOpenApiProblems(): string[] {
  return found.splice(0, found.length);
}

/** One document per served text: test files start several apps on the same code. */
const contracts = new Map<string, Promise<OpenApiContract>>();

function contractOf(text: string): Promise<OpenApiContract> {
  let contract = contracts.get(text);
  if (!contract) {
    contract = OpenApiContract.of(JSON.parse(text) as ServedDocument);
    contracts.set(text, contract);
  }
  return contract;
}

function record(res: ServerResponse, req: IncomingMessage, check: (a: Answer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let keeping: boolean | undefined;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    keeping ??= /json/i.test(String(res.getHeader('content-type') ?? ''));
    const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8';
    const bytes =
      typeof chunk === 'string' ? Buffer.byteLength(chunk, enc) : (chunk as Uint8Array).length;
    size += bytes;
    if (keeping && size <= MAX_CHECKED_BYTES)
      chunks.push(
        typeof chunk === 'string' ? Buffer.from(chunk, enc) : Buffer.from(chunk as Uint8Array),
      );
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    if (!keeping || size <= MAX_CHECKED_BYTES) {
      check({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        status: res.statusCode,
        contentType: res.getHeader('content-type') as string | undefined,
        length: size,
        body: keeping ? Buffer.concat(chunks) : undefined,
      });
    }
    return end(...args);
  }) as ServerResponse['end'];
}

export interface ResponseRecorder {
  /** Reads the document the server serves at /docs-json; answers before that are not checked. */
  loadServedDocument(baseUrl: string): Promise<void>;
}

/** Starts checking the answers of `server` (call before it listens: no answer is missed). */
export function checkResponsesAgainstOpenApi(server: Server): ResponseRecorder {
  let contract: OpenApiContract | undefined;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    record(res, req, (answer) => {
      if (!contract) return;
      try {
        found.push(...contract.problems(answer));
      } catch (e) {
        found.push(`${answer.method} ${answer.url}: the check failed: ${String(e)}`);
      }
    });
  });
  return {
    async loadServedDocument(baseUrl: string) {
      const res = await fetch(`${baseUrl}/docs-json`);
      if (res.status !== 200) throw new Error(`GET /docs-json answered ${res.status}`);
      contract = await contractOf(await res.text());
    },
  };
}
