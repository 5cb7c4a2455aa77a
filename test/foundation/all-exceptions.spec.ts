import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { AllExceptionsFilter } from '../../src/common/all-exceptions.filter';
import { TooManyRequestsException } from '../../src/common/too-many-requests';

/** What the filter writes on Express's response, recorded. */
function answer(exception: unknown) {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    headersSent: false,
    setHeader: (k: string, v: string) => (sent.headers[k] = v),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return sent;
}

describe("errors that are not the request's fault", () => {
  it('no database connection free in time: 503 with Retry-After, in the contract body, nothing internal', () => {
    const sent = answer(new Error('timeout exceeded when trying to connect'));
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('5');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The service is busy: try again in a few seconds',
    });
  });

  it('too many uploads at once: 429 with the Retry-After it names', () => {
    const sent = answer(new TooManyRequestsException('Too many uploads at once', 5));
    expect(sent.status).toBe(429);
    expect(sent.headers['Retry-After']).toBe('5');
  });

  it('anything unexpected: a 500 that says nothing of the cause', () => {
    const sent = answer(
      new Error('relation "secret_table" does not exist at postgres://user:pw@db'),
    );
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toMatch(/secret_table|postgres:\/\//);
  });
});
