import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateBy } from 'class-validator';

const MAX_VARIABLES = 100;

export class TestCallDto {
  @ApiProperty({
    example: '+33612345678',
    description: 'Your own phone, in E.164 (or national, read in the campaign’s default_country).',
  })
  @IsString()
  @MaxLength(40)
  to_number: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A lead of this campaign whose variables the call uses.',
  })
  @IsOptional()
  @IsUUID(undefined, { message: 'lead_id must be the id of a lead of this campaign' })
  lead_id?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { prenom: 'Zoé', nom_du_salon: 'Salon Zoé' },
    description: 'Variables for the call; over the lead’s and the campaign’s.',
  })
  @IsOptional()
  @IsObject()
  @ValidateBy({
    name: 'isStringMap',
    validator: {
      validate: (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        Object.keys(v).length <= MAX_VARIABLES &&
        Object.entries(v).every(
          ([k, x]) => k.length <= 100 && typeof x === 'string' && x.length <= 2000,
        ),
      defaultMessage: () => `variables must map at most ${MAX_VARIABLES} names to strings`,
    },
  })
  variables?: Record<string, string>;
}

export class TestCallView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) campaign_id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) lead_id: string | null;
  @ApiProperty({ example: '+33612345678' }) to_number: string;
  @ApiProperty({ example: '+33912345678' }) from_number: string;
  @ApiProperty({
    example: 'completed',
    description:
      'The platform’s status (`created`, `ongoing`, `completed`, `missed`, `failed`…), or `not_started` (the platform refused it), or `unknown` (the start’s answer was lost: the call may exist).',
  })
  status: string;
  @ApiProperty({ type: String, nullable: true }) call_id: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The variables the call was sent.',
  })
  variables: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'Typed post-call answers, by question name, once the call has ended.',
  })
  answers: Record<string, unknown> | null;
  @ApiProperty({ type: Number, nullable: true }) duration_seconds: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ended_at: string | null;
}

export class TestCallListView {
  @ApiProperty({ type: [TestCallView], description: 'Newest first (the last 100).' })
  data: TestCallView[];
}
