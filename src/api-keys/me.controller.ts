import { Controller, Get, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { requestContext } from '../auth/request-context';
import { AccessCatalog } from './access-catalog';
import { MeDto } from './dto/me.dto';

@ApiTags('api keys')
@Controller('v1/me')
export class MeController {
  constructor(private readonly catalog: AccessCatalog) {}

  @Get()
  @Roles('manager', 'viewer', 'compliance')
  @ApiOperation({
    summary: 'Who am I: the key that sent this request, its role and what that role may call',
    description:
      '`permissions` lists every operation the key’s role may call, as `METHOD /path` of this document ' +
      '(read from the same route rules the API enforces), so a client can show only what it may do.',
  })
  @ApiOkResponse({ type: MeDto })
  me(): MeDto {
    const actor = requestContext.getStore()?.actor;
    if (!actor) throw new UnauthorizedException('Missing X-Api-Key header');
    return {
      key_id: actor.keyId,
      name: actor.keyName,
      role: actor.role,
      permissions: this.catalog.operationsOf(actor.role),
    };
  }
}
