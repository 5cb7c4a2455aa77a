import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export interface PageLimits {
  /** The largest `limit` a client may ask for. */
  max: number;
  /** The `limit` when none is given (documented; the service applies it). */
  default: number;
  /** What a page holds, for the docs: `Leads`, `Imports`… */
  items: string;
}

/**
 * The `limit` and `cursor` of a cursor-paged list, validated the same way everywhere: a list's
 * query class extends `PageQuery({...})` (or intersects it with its filters).
 */
export function PageQuery(limits: PageLimits) {
  const message = `limit must be a whole number between 1 and ${limits.max}`;
  class PageQueryBase {
    @ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: limits.max,
      default: limits.default,
      description: `${limits.items} per page.`,
    })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message })
    @Min(1, { message })
    @Max(limits.max, { message })
    limit?: number;

    @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
    @IsOptional()
    @IsString()
    @MaxLength(200)
    cursor?: string;
  }
  return PageQueryBase;
}
