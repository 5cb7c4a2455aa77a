import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiUploadLimitResponses } from '../common/upload-responses';
import { createValidationPipe } from '../common/validation';
import { isFileUpload } from '../leads/csv/upload';
import { AddSuppressionsDto, SuppressionsCsvQuery } from './dto/add-suppressions.dto';
import {
  AddSuppressionsResultDto,
  ListSuppressionsQuery,
  SuppressionPageDto,
} from './dto/suppression.dto';
import { SuppressionsService } from './suppressions.service';
import { Roles } from '../auth/roles.decorator';

/** The JSON body is validated here, not by the global pipe: a CSV body has none to validate. */
const jsonBodyPipe = createValidationPipe();

@ApiTags('do-not-call list')
@ApiExtraModels(AddSuppressionsDto)
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add numbers to the do-not-call list',
    description:
      'JSON `{"phones": [...]}` or a CSV (multipart field `file` or a text/csv body, read like a lead file). ' +
      'Leads waiting to be called with these numbers, in every campaign, become `suppressed`. Invalid numbers are ' +
      'listed in `errors` and the others are added; an unreadable CSV (400, 413, 415) adds nothing.',
  })
  @ApiConsumes('application/json', 'multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AddSuppressionsDto) },
        {
          type: 'object',
          properties: { file: { type: 'string', format: 'binary' } },
          required: ['file'],
        },
        { type: 'string', format: 'binary' },
      ],
    },
  })
  @ApiCreatedResponse({ type: AddSuppressionsResultDto })
  @ApiBadRequestResponse({ description: 'Invalid JSON body, or a CSV that cannot be read.' })
  @ApiPayloadTooLargeResponse({
    description: 'A CSV larger than IMPORT_MAX_MB, or a JSON body larger than 5 MB.',
  })
  @ApiUnsupportedMediaTypeResponse({
    description:
      'A file that is not text (a workbook, an archive…) or an unsupported Content-Type.',
  })
  @ApiUploadLimitResponses()
  @Roles('manager', 'compliance')
  async add(
    @Query() query: SuppressionsCsvQuery,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<AddSuppressionsResultDto> {
    if (isFileUpload(req)) return this.suppressions.addCsv(query, req);
    const dto = (await jsonBodyPipe.transform(body ?? {}, {
      type: 'body',
      metatype: AddSuppressionsDto,
    })) as AddSuppressionsDto;
    return this.suppressions.addPhones(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List the do-not-call list, page by page' })
  @ApiOkResponse({ type: SuppressionPageDto })
  @Roles('manager', 'compliance')
  list(@Query() query: ListSuppressionsQuery): Promise<SuppressionPageDto> {
    return this.suppressions.list(query);
  }

  @Delete(':phone')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Take a number off the do-not-call list',
    description: 'Leads already marked `suppressed` stay so (a final status).',
  })
  @ApiParam({
    name: 'phone',
    example: '%2B33612345678',
    description: 'E.164, URL-encoded (+ as %2B).',
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiNotFoundResponse({ description: 'Not on the list.' })
  @ApiBadRequestResponse({ description: 'Not an E.164 number.' })
  @Roles('compliance')
  async remove(@Param('phone') phone: string): Promise<void> {
    await this.suppressions.remove(phone);
  }
}
