import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LeadTemplateQuery {
  @ApiProperty({
    example: '411b82c8-462a-4e1b-89bc-10ab3ce1ed29',
    description: 'The platform agent whose variables become the columns.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  agent_id: string;

  @ApiPropertyOptional({
    enum: ['true', 'false', '1', '0'],
    description: 'For French/European Excel: a BOM and `;` (as report.csv?excel=true).',
  })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'], { message: 'excel must be true or false' })
  excel?: string;
}
