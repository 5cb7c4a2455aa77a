import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page-query';
import { ROLES, type Role } from '../../auth/roles';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'Sales reports',
    maxLength: 100,
    description: 'Who or what uses the key.',
  })
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: ROLES, description: 'What the key may do (README, "Roles").' })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role: Role;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The key stops working at this time (in the future). Unset: never expires.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO 8601 time' })
  expires_at?: string | null;
}

export class ListApiKeysQuery extends PageQuery({ max: 200, default: 100, items: 'Keys' }) {}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ example: 'crk_AbCd', description: 'The first characters of the key.' })
  key_prefix: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expires_at: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'To the minute.',
  })
  last_used_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revoked_at: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    description:
      'The secret, to send as X-Api-Key. Shown only in this answer: only its hash is stored.',
  })
  key: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) data: ApiKeyDto[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
}
