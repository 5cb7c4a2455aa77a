import { LeadDetailDto } from './dto/lead-detail.dto';
import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiUploadLimitResponses } from '../common/upload-responses';
import { CallTranscripts } from './call-transcripts.service';
import { CallTranscriptDto } from './dto/call-transcript.dto';
import { LeadImportQuery } from './dto/lead-import.query';
import { ImportResultDto, LeadImportDto, LeadImportPageDto } from './dto/import-result.dto';
import { ListImportsQuery } from './dto/list-imports.query';
import { LeadPageDto } from './dto/lead.dto';
import { ListLeadsQuery } from './dto/list-leads.query';
import { ImportErrorsFile } from './import-errors-file';
import { LeadImportService } from './lead-import.service';
import { LeadsQueryService } from './leads-query.service';
import { Roles } from '../auth/roles.decorator';

const uuidPipe = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) });
const uuid = uuidPipe('id');

@ApiTags('leads')
@Controller('v1/campaigns/:id')
export class LeadsController {
  constructor(
    private readonly imports: LeadImportService,
    private readonly queries: LeadsQueryService,
    private readonly errorsFile: ImportErrorsFile,
    private readonly transcripts: CallTranscripts,
  ) {}

  @Post('leads')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Import a lead file (CSV)',
    description:
      'The CSV as multipart/form-data field `file`, or as the raw body (text/csv). Read as Excel, CRMs and Google Sheets ' +
      'write it: encoding and delimiter detected, Excel phone artefacts understood, one bad row never fails the file. ' +
      'All or nothing: a file that cannot be read (400, 413, 415) or an interrupted upload adds no lead.',
  })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          properties: { file: { type: 'string', format: 'binary' } },
          required: ['file'],
        },
        {
          type: 'string',
          format: 'binary',
          example: 'phone;prenom;ville\n06 12 34 56 78;Zoé;Lyon\n',
        },
      ],
    },
  })
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({
    description: 'Unreadable file: empty, header only, no phone column, clashing headers…',
  })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @ApiConflictResponse({
    description: 'The campaign is cancelled, or another import into it is running.',
  })
  @ApiPayloadTooLargeResponse({ description: 'Larger than IMPORT_MAX_MB.' })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Binary content (a workbook, an archive…) or an unsupported Content-Type.',
  })
  @ApiUploadLimitResponses()
  @Roles('manager')
  importLeads(
    @Param('id', uuid) id: string,
    @Query() query: LeadImportQuery,
    @Req() req: Request,
  ): Promise<ImportResultDto> {
    return this.imports.importFile(id, query, req);
  }

  @Get('leads')
  @ApiOperation({ summary: 'List the campaign’s leads, in import order, page by page' })
  @ApiOkResponse({ type: LeadPageDto })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @Roles('manager', 'viewer')
  listLeads(@Param('id', uuid) id: string, @Query() query: ListLeadsQuery): Promise<LeadPageDto> {
    return this.queries.listLeads(id, query);
  }

  @Get('leads/:leadId')
  @ApiOperation({
    summary: 'One lead with every call attempt (status, duration, cost, post-call answers)',
  })
  @ApiOkResponse({ type: LeadDetailDto })
  @ApiNotFoundResponse({ description: 'No such lead in this campaign.' })
  @Roles('manager', 'viewer')
  getLead(
    @Param('id', uuid) id: string,
    @Param('leadId', uuidPipe('lead_id')) leadId: string,
  ): Promise<LeadDetailDto> {
    return this.queries.getLead(id, leadId);
  }

  @Get('leads/:leadId/calls/:callId/transcript')
  @ApiOperation({
    summary: 'The transcript of one of the lead’s calls, read from CallRounded when asked',
    description:
      'Not stored by the service: asked of the platform each time (its `transcript_string` and lines). ' +
      'Empty while the call is in progress or when the platform gives none.',
  })
  @ApiOkResponse({ type: CallTranscriptDto })
  @ApiBadRequestResponse({ description: 'lead_id or call_id not a UUID.' })
  @ApiNotFoundResponse({
    description:
      'Not a call of this lead (or the lead was erased), or the platform no longer has it.',
  })
  @ApiBadGatewayResponse({ description: 'The platform could not be read.' })
  @Roles('manager', 'viewer')
  getTranscript(
    @Param('id', uuid) id: string,
    @Param('leadId', uuidPipe('lead_id')) leadId: string,
    @Param('callId', uuidPipe('call_id')) callId: string,
  ): Promise<CallTranscriptDto> {
    return this.transcripts.get(id, leadId, callId);
  }

  @Get('imports')
  @ApiOperation({
    summary: 'The campaign’s imports, newest first, page by page (without row errors)',
  })
  @ApiOkResponse({ type: LeadImportPageDto })
  @ApiNotFoundResponse({ description: 'No such campaign.' })
  @Roles('manager', 'viewer')
  listImports(
    @Param('id', uuid) id: string,
    @Query() query: ListImportsQuery,
  ): Promise<LeadImportPageDto> {
    return this.queries.listImports(id, query);
  }

  @Get('imports/:importId')
  @ApiOperation({ summary: 'One import: counts, errors, missing variables' })
  @ApiOkResponse({ type: LeadImportDto })
  @ApiNotFoundResponse({ description: 'No such import in this campaign.' })
  @Roles('manager', 'viewer')
  getImport(
    @Param('id', uuid) id: string,
    @Param('importId', uuidPipe('import_id')) importId: string,
  ): Promise<LeadImportDto> {
    return this.queries.getImport(id, importId);
  }

  @Get('imports/:importId/errors.csv')
  @Roles('manager', 'viewer')
  @ApiOperation({
    summary: 'Every rejected row of an import, to fix and upload again',
    description:
      'Each rejected row as it was written (all of them, not only the first 1,000), led by a column `error` naming the field and the problem; in the upload’s delimiter and encoding family (UTF-8 and UTF-16 with a BOM). Fix the rows in Excel and upload the file as it is: the import drops a first column named `error`. Rows beyond 100,000 (or 64 MB) are not kept: `X-Rejected-Rows-Omitted` counts them.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV.', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such import in this campaign.' })
  importErrors(
    @Param('id', uuid) id: string,
    @Param('importId', uuidPipe('import_id')) importId: string,
    @Res() res: Response,
  ): Promise<void> {
    return this.errorsFile.write(id, importId, res);
  }
}
