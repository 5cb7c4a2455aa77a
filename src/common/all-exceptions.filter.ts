import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody, ErrorBody } from './error-body';
import { TooManyRequestsException } from './too-many-requests';

/** pg's message when no pooled connection frees up within connectionTimeoutMillis. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;
const BUSY_RETRY_AFTER_S = 5;

/**
 * Every error leaves as the contract's body. Unexpected errors become a 500 whose message says
 * nothing internal; the detail goes to the log only.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === 503) this.logger.warn('No database connection free in time');
    else if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (exception instanceof TooManyRequestsException)
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (body.statusCode === 503) res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_S));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const cause = exception.cause as { type?: string } | undefined;
      if (cause?.type === 'entity.parse.failed')
        return errorBody(400, 'The request body is not valid JSON');
      const response = exception.getResponse();
      if (typeof response === 'string') return errorBody(status, response);
      const r = response as { message?: unknown; details?: unknown[] };
      const message = Array.isArray(r.message)
        ? r.message.join('; ')
        : typeof r.message === 'string'
          ? r.message
          : exception.message;
      return errorBody(status, message, r.details);
    }
    const e = exception as { type?: string; status?: number; statusCode?: number };
    // body-parser's errors (bad JSON, too large) carry a status of their own.
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message =
        e.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON'
          : (exception as Error).message;
      return errorBody(status, message);
    }
    if (exception instanceof Error && POOL_TIMEOUT.test(exception.message))
      return errorBody(503, 'The service is busy: try again in a few seconds');
    return errorBody(500, 'Internal server error');
  }
}
