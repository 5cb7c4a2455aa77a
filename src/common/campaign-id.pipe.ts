import { Injectable, NotFoundException, PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A campaign id that is not a UUID names no campaign: 404, before any SQL sees it. */
@Injectable()
export class CampaignIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !UUID.test(value))
      throw new NotFoundException(`Campaign ${String(value).slice(0, 64)} not found`);
    return value.toLowerCase();
  }
}
