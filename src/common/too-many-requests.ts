import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 with the `Retry-After` the exception filter sends: when the client may try again. */
export class TooManyRequestsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
