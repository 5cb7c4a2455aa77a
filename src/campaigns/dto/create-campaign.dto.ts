import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { CampaignSettingsDto } from './campaign-settings.dto';
import { IsE164Phone, IsOptionalNotNull } from './field-rules';

const Name = () =>
  applyDecorators(IsString(), Matches(/\S/, { message: 'name must not be blank' }), MaxLength(200));
const AgentId = () =>
  applyDecorators(
    IsUUID(undefined, { message: 'agent_id must be the UUID of a CallRounded agent' }),
  );
const FromNumbers = () =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1, { message: 'from_numbers must hold at least one number' }),
    ArrayMaxSize(100),
    ArrayUnique({ message: 'from_numbers must not repeat a number' }),
    IsE164Phone({ each: true }),
  );

const NAME_DOC = {
  example: 'Relance salons novembre',
  maxLength: 200,
  description: 'What people call the campaign.',
};
const AGENT_DOC = {
  format: 'uuid',
  example: '411b82c8-462a-4e1b-89bc-10ab3ce1ed29',
  description: 'The CallRounded agent that places the calls.',
};
const FROM_DOC: ApiPropertyOptions = {
  type: [String],
  example: ['+33912345678'],
  description: 'Caller numbers of the account, in E.164, used in turn.',
};

export class CreateCampaignDto extends CampaignSettingsDto {
  @ApiProperty(NAME_DOC)
  @Name()
  name: string;

  @ApiProperty(AGENT_DOC)
  @AgentId()
  agent_id: string;

  @ApiProperty(FROM_DOC)
  @FromNumbers()
  from_numbers: string[];
}

/**
 * Any subset of the creation fields. While the campaign is scheduled, running or paused, every
 * field may change except `agent_id`; a completed or cancelled campaign no longer changes.
 */
export class UpdateCampaignDto extends CampaignSettingsDto {
  @ApiPropertyOptional(NAME_DOC)
  @IsOptionalNotNull()
  @Name()
  name?: string;

  @ApiPropertyOptional({
    ...AGENT_DOC,
    description: `${AGENT_DOC.description} Only a draft may change it.`,
  })
  @IsOptionalNotNull()
  @AgentId()
  agent_id?: string;

  @ApiPropertyOptional(FROM_DOC)
  @IsOptionalNotNull()
  @FromNumbers()
  from_numbers?: string[];
}
