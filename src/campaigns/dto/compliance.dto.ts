import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { CONTACT_TYPES, type ContactType } from '../../compliance/rules/types';
import { RULE_FILES } from '../../compliance/rules';
import { IsOptionalNotNull } from './field-rules';

export const JURISDICTION_IDS = RULE_FILES.map((j) => j.id);

/** `"auto"`, `"none"`, or a non-empty list of known jurisdiction ids without repeats. */
function IsRulesChoice(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isRulesChoice',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (v: unknown) =>
          v === 'auto' ||
          v === 'none' ||
          (Array.isArray(v) &&
            v.length > 0 &&
            v.length <= JURISDICTION_IDS.length &&
            new Set(v).size === v.length &&
            v.every((id) => typeof id === 'string' && JURISDICTION_IDS.includes(id))),
        defaultMessage: () =>
          `rules must be "auto", "none" or a list of jurisdictions among ${JURISDICTION_IDS.join(', ')}`,
      },
    });
}

export class MaxContactsDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 2 })
  @IsInt()
  @Min(1)
  @Max(100)
  count: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 365, example: 30 })
  @IsInt()
  @Min(1)
  @Max(365)
  days: number;
}

const QUESTION_NAME = { example: 'refuses_calls', maxLength: 200 };

export class ComplianceDto {
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: ['auto', 'none'] },
      { type: 'array', items: { type: 'string', enum: JURISDICTION_IDS }, minItems: 1 },
    ],
    example: 'auto',
    description:
      '`auto` (default): the law of each lead’s number (country; US state by area code). `none`: no calling law is applied, only the campaign’s window (shown in the campaign and the report). A list: those jurisdictions’ rules for every lead, whatever its number.',
  })
  @IsOptionalNotNull()
  @IsRulesChoice()
  rules?: 'auto' | 'none' | string[];

  @ApiPropertyOptional({
    enum: CONTACT_TYPES,
    example: 'consumer',
    description:
      'Who the leads are unless a lead’s own `contact_type` column says otherwise. Consumers need recorded consent (`consent_at`) where the law asks for it. Default consumer.',
  })
  @IsOptionalNotNull()
  @IsIn(CONTACT_TYPES, { message: `contact_type must be one of ${CONTACT_TYPES.join(', ')}` })
  contact_type?: ContactType;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    ...QUESTION_NAME,
    description:
      'A yes/no post-call question of the agent: answered true, the person refused, and no campaign calls the number for the law’s cool-down (FR: 60 days). Default null.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refusal_question?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    ...QUESTION_NAME,
    example: 'do_not_call',
    description:
      'A yes/no post-call question: answered true, the number goes on the do-not-call list (reason and source: campaign and call). Default null.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  opt_out_question?: string | null;

  @ApiPropertyOptional({
    type: MaxContactsDto,
    nullable: true,
    description:
      'A cap of the campaign’s own on attempts to one number (all campaigns counted), applied on top of the law’s caps: it can only tighten them, never loosen. Default null.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MaxContactsDto)
  max_contacts?: MaxContactsDto | null;

  @ApiPropertyOptional({
    type: Boolean,
    example: true,
    description:
      'Also block regional holidays that a number cannot place (FR: Good Friday and 26 December of Alsace-Moselle) for every number of the country. Default true.',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  conservative_holidays?: boolean;
}

/** The stored setting as answered: every key present. */
export class ComplianceView {
  @ApiProperty({
    oneOf: [
      { type: 'string', enum: ['auto', 'none'] },
      { type: 'array', items: { type: 'string', enum: JURISDICTION_IDS } },
    ],
    description: '`none`: no calling law is applied to this campaign (chosen explicitly).',
  })
  rules: 'auto' | 'none' | string[];
  @ApiProperty({ enum: CONTACT_TYPES }) contact_type: ContactType;
  @ApiProperty({ type: String, nullable: true }) refusal_question: string | null;
  @ApiProperty({ type: String, nullable: true }) opt_out_question: string | null;
  @ApiProperty({ type: MaxContactsDto, nullable: true }) max_contacts: MaxContactsDto | null;
  @ApiProperty({ type: Boolean }) conservative_holidays: boolean;
}
