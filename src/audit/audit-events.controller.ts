import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { AuditEventPageDto, AuditEventsQuery, AuditFilterQuery } from './dto/audit-events.dto';
import { AuditEventsService } from './audit-events.service';

@ApiTags('audit')
@Controller('v1')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get('audit-events')
  @Roles('compliance')
  @ApiOperation({
    summary: 'The audit trail, newest first, page by page',
    description:
      'One event per committed state change: who (key id, name, role), what (action, target, a summary of the change), ' +
      'from where (client address) and which request. Filtered by time, actor, action and target.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Query() q: AuditEventsQuery): Promise<AuditEventPageDto> {
    return this.events.list(q);
  }

  @Get('audit-events.csv')
  @Roles('compliance')
  @ApiOperation({
    summary: 'The filtered audit trail as CSV (RFC 4180, UTF-8), newest first, streamed',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', schema: { type: 'string' } })
  async csv(@Query() q: AuditFilterQuery, @Res() res: Response): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', 'attachment; filename="audit-events.csv"');
    await this.events.writeCsv(q, res).catch((err: unknown) => {
      if (!res.headersSent) throw err;
      res.destroy();
    });
  }
}
