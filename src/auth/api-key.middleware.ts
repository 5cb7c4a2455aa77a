import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeysService } from './api-keys.service';

/**
 * Every route under /v1 needs a valid `X-Api-Key`; /health, /metrics and /docs do not.
 * A middleware rather than a guard so that it runs before routing: a request without a key
 * learns nothing, not even whether the route exists, and no lead file is read.
 */
@Injectable()
export class ApiKeyMiddleware implements NestMiddleware {
  constructor(private readonly keys: ApiKeysService) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const key = req.header('x-api-key');
    if (!key) return next(new UnauthorizedException('Missing X-Api-Key header'));
    if (!(await this.keys.isValid(key))) return next(new UnauthorizedException('Invalid API key'));
    next();
  }
}
