import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../auth/roles';

export class MeDto {
  @ApiProperty({
    example: '0192f0c4-1b2e-7c3d-9e4f-5a6b7c8d9e0f',
    description: 'The key’s id (`env:<hash prefix>` for a key given in API_KEYS).',
  })
  key_id: string;
  @ApiProperty({ example: 'Sales reports' }) name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({
    type: [String],
    example: ['GET /v1/campaigns', 'GET /v1/campaigns/{id}', 'GET /v1/me'],
    description: 'The operations this role may call, `METHOD /path` as in this document, sorted.',
  })
  permissions: string[];
}
