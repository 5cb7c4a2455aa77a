import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CampaignIdPipe } from '../common/campaign-id.pipe';
import { ReportCsvQuery, ReportFilterQuery, ReportPageQuery } from './dto/report-query.dto';
import { CampaignReportDto } from './dto/report-response.dto';
import type { LeadFilter } from './report-rows';
import { ReportsService } from './reports.service';
import { cutText } from '../common/text';
import { Roles } from '../auth/roles.decorator';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EXPORTS_BUSY = {
  description: 'Too many exports are running on this instance; try again in a moment.',
};

@ApiTags('reports')
@ApiParam({ name: 'id', format: 'uuid', description: 'Campaign id' })
@ApiNotFoundResponse({ description: 'No such campaign' })
@Controller('v1/campaigns')
export class ReportsController {
  private readonly logger = new Logger(ReportsController.name);

  constructor(private readonly reports: ReportsService) {}

  @Get(':id/report')
  @ApiOperation({
    summary: 'Lead-qualification report: campaign, summary, questions and one page of leads',
  })
  @ApiOkResponse({ type: CampaignReportDto })
  @Roles('manager', 'viewer')
  report(@Param('id', CampaignIdPipe) id: string, @Query() q: ReportPageQuery): Promise<CampaignReportDto> {
    return this.reports.report(id, toFilter(q), q.limit ?? 100, q.cursor);
  }

  @Get(':id/report.csv')
  @ApiOperation({
    summary: 'Every lead as CSV (RFC 4180, UTF-8), streamed',
    description:
      'Columns: phone, the lead columns, status, attempts, last_call_id, last_call_status, duration_seconds, cost, one per question, qualified. ' +
      'Cells that would start a formula are prefixed with an apostrophe.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', schema: { type: 'string' } })
  @ApiTooManyRequestsResponse(EXPORTS_BUSY)
  @Roles('manager', 'viewer')
  async csv(
    @Param('id', CampaignIdPipe) id: string,
    @Query() q: ReportCsvQuery,
    @Res() res: Response,
  ): Promise<void> {
    const prepared = await this.reports.prepareExport(id);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', attachment(prepared.campaign.name, id, 'csv'));
    res.setHeader('Cache-Control', 'no-store');
    const excel = q.excel === 'true' || q.excel === '1';
    await this.stream(res, id, 'csv', () => this.reports.writeCsv(prepared, toFilter(q), excel, res));
  }

  @Get(':id/report.xlsx')
  @ApiOperation({
    summary: 'Every lead as an Excel workbook, streamed',
    description: 'Sheet "Leads" (same columns as the CSV, typed cells) and sheet "Summary".',
  })
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ description: 'The workbook', schema: { type: 'string', format: 'binary' } })
  @ApiTooManyRequestsResponse(EXPORTS_BUSY)
  @Roles('manager', 'viewer')
  async xlsx(
    @Param('id', CampaignIdPipe) id: string,
    @Query() q: ReportFilterQuery,
    @Res() res: Response,
  ): Promise<void> {
    const prepared = await this.reports.prepareExport(id);
    res.status(200);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', attachment(prepared.campaign.name, id, 'xlsx'));
    res.setHeader('Cache-Control', 'no-store');
    await this.stream(res, id, 'xlsx', () => this.reports.writeXlsx(prepared, toFilter(q), res));
  }

  /**
   * Once bytes are out, an error can only cut the connection: the client then sees a truncated
   * transfer, never a file that looks complete. A client that hangs up is not an error.
   */
  private async stream(res: Response, id: string, kind: string, write: () => Promise<void>) {
    try {
      await write();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.debug?.(`Report ${kind} of campaign ${id}: client went away`);
      } else {
        this.logger.error(`Report ${kind} of campaign ${id} failed mid-stream: ${(err as Error)?.stack ?? String(err)}`);
      }
      if (!res.headersSent && !res.destroyed) {
        // Nothing sent yet: the error goes out as the usual JSON body, not as a download.
        res.removeHeader('Content-Disposition');
        throw err;
      }
      res.destroy();
    }
  }
}

function toFilter(q: ReportFilterQuery): LeadFilter {
  const filter: LeadFilter = {};
  if (q.qualified !== undefined) filter.qualified = q.qualified === 'null' ? null : q.qualified === 'true';
  if (q.status && q.status.length > 0) filter.statuses = q.status;
  return filter;
}

/** `attachment; filename="salons-novembre-report.csv"; filename*=UTF-8''…` (RFC 6266). */
function attachment(name: string, id: string, ext: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase()
      .slice(0, 60) || `campaign-${id}`;
  const utf8 = encodeURIComponent(`${cutText(name, 100)}-report.${ext}`).replace(/['()*]/g, (c) =>
    `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}-report.${ext}"; filename*=UTF-8''${utf8}`;
}
