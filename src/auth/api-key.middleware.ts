import { Injectable, NestMiddleware, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeysService } from './api-keys.service';
import {
  ACTOR,
  clientAddressOf,
  requestContext,
  requestIdOf,
  type RequestWithActor,
} from './request-context';

/**
 * Every route under /v1 needs a valid `X-Api-Key`; /health, /metrics and /docs do not.
 * A middleware rather than a guard so that it runs before routing: a request without a key
 * learns nothing, not even whether the route exists, and no lead file is read. What the role
 * may do is RolesGuard's to decide, once the route is known.
 */
@Injectable()
export class ApiKeyMiddleware implements NestMiddleware {
  constructor(private readonly keys: ApiKeysService) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const requestId = requestIdOf(req, res);
    const key = req.header('x-api-key');
    if (!key) return next(new UnauthorizedException('Missing X-Api-Key header'));
    const clientAddress = clientAddressOf(req);
    let actor;
    try {
      actor = await this.keys.authenticate(key, clientAddress);
    } catch (err) {
      return next(err);
    }
    (req as RequestWithActor)[ACTOR] = actor;
    requestContext.run({ actor, clientAddress, requestId }, () => next());
  }
}
