import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** A lead id in a path: 400 naming `lead_id` when it is not a UUID (as the leads routes answer). */
export const LeadIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new BadRequestException({
      message: 'lead_id must be a UUID',
      details: [{ field: 'lead_id', message: 'must be a UUID' }],
    }),
});
