import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiKeyAdminService } from './api-key-admin.service';
import {
  ApiKeyPageDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  ListApiKeysQuery,
} from './dto/api-key.dto';

@ApiTags('api keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyAdminService) {}

  @Post()
  @HttpCode(201)
  @Roles()
  @ApiOperation({
    summary: 'Create a key with a role',
    description: 'The answer carries the secret (`key`) once; only its hash is stored.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiBadRequestResponse({ description: 'A field is missing or invalid; `details` names each.' })
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.keys.create(dto);
  }

  @Get()
  @Roles()
  @ApiOperation({
    summary: 'The stored keys (not the API_KEYS ones), newest first, revoked ones included',
  })
  @ApiOkResponse({ type: ApiKeyPageDto })
  list(@Query() q: ListApiKeysQuery): Promise<ApiKeyPageDto> {
    return this.keys.list(q);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @Roles()
  @ApiOperation({ summary: 'Revoke a key: refused at once, on every instance' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiNotFoundResponse({ description: 'No such key.' })
  @ApiConflictResponse({ description: 'Already revoked, or the last active admin key.' })
  async revoke(
    @Param('keyId', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) keyId: string,
  ): Promise<void> {
    await this.keys.revoke(keyId);
  }
}
