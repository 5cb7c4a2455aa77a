import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeysService } from './api-keys.service';

/** Every route under /v1 needs a valid `X-Api-Key`; /health, /metrics and /docs do not. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.path.startsWith('/v1/') && req.path !== '/v1') return true;
    const key = req.header('x-api-key');
    if (!key) throw new UnauthorizedException('Missing X-Api-Key header');
    if (!(await this.keys.isValid(key))) throw new UnauthorizedException('Invalid API key');
    return true;
  }
}
