import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, type Access } from './roles.decorator';
import { ACTOR, type RequestWithActor } from './request-context';

/**
 * Lets a request through only when its key's role is among the route's `@Roles(...)`. A route
 * that declares nothing is refused for everyone (and logged): forgetting the decorator must
 * close a route, not open it.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === 'public') return true;
    const req = context.switchToHttp().getRequest<RequestWithActor>();
    if (!access) {
      this.logger.error(`${req.method} ${req.path} declares no roles: refused`);
      throw new ForbiddenException('This route declares no roles: nobody may call it');
    }
    const actor = req[ACTOR];
    if (!actor) throw new UnauthorizedException('Missing X-Api-Key header');
    if (!access.includes(actor.role)) {
      throw new ForbiddenException(
        `A ${actor.role} key may not do this: it needs one of the roles ${access.join(', ')}`,
      );
    }
    return true;
  }
}
