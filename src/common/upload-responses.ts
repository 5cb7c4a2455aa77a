import { applyDecorators } from '@nestjs/common';
import { ApiRequestTimeoutResponse, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RETRY_AFTER } from '../openapi-conventions';

/** The answers every file upload route may give besides its own: idle client, too many uploads. */
export function ApiUploadLimitResponses(): MethodDecorator {
  return applyDecorators(
    ApiRequestTimeoutResponse({
      description: 'The client sent nothing for IMPORT_IDLE_TIMEOUT_S seconds; nothing was stored.',
    }),
    ApiTooManyRequestsResponse({
      description:
        'IMPORT_MAX_CONCURRENT uploads are already being received by this instance; retry after the Retry-After header (seconds).',
      headers: RETRY_AFTER,
    }),
  );
}
