import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import {
  ErasePersonDto,
  ErasureResultDto,
  ExportPersonQuery,
  PersonExportDto,
} from './dto/privacy.dto';
import { PrivacyService } from './privacy.service';

@ApiTags('privacy')
@Controller('v1/privacy')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Post('erase')
  @HttpCode(200)
  @Roles('compliance')
  @ApiOperation({
    summary: 'Erase a person (right to be forgotten)',
    description:
      'In every campaign: the lead’s number, variables and answers, the call attempts’ numbers and answers, and CRM events not yet ' +
      'delivered are removed (delivered ones keep no data). Kept: a do-not-call entry with reason `erased`, and the leads’ statuses ' +
      'and figures so campaign totals stay right (the lead shows as `erased:<lead id>`). Audited.',
  })
  @ApiOkResponse({ type: ErasureResultDto })
  @ApiBadRequestResponse({ description: 'Not an E.164 number.' })
  @ApiConflictResponse({ description: 'A call to this number is in progress.' })
  erase(@Body() dto: ErasePersonDto): Promise<ErasureResultDto> {
    return this.privacy.erase(dto.phone);
  }

  @Get('export')
  @Roles('compliance')
  @ApiOperation({
    summary: 'Everything held about a number, as JSON (right of access)',
    description:
      'The do-not-call entry, every lead in every campaign with its calls and answers, and the CRM events about them. Audited.',
  })
  @ApiOkResponse({ type: PersonExportDto })
  @ApiBadRequestResponse({ description: 'Not an E.164 number.' })
  export(@Query() q: ExportPersonQuery): Promise<PersonExportDto> {
    return this.privacy.export(q.phone);
  }
}
