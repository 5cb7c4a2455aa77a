import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import type { Role } from './roles';

export const ACCESS_KEY = 'callrounded:access';
export type Access = readonly Role[] | 'public';

/**
 * The roles that may call a route (admin always may). Enforced by RolesGuard; the OpenAPI
 * document lists them as the operation's `x-roles` and documents the 403 every other role gets.
 */
export function Roles(...roles: Exclude<Role, 'admin'>[]): MethodDecorator & ClassDecorator {
  const allowed: Role[] = ['admin', ...new Set(roles)];
  return applyDecorators(
    SetMetadata(ACCESS_KEY, allowed),
    ApiExtension('x-roles', allowed),
    ApiForbiddenResponse({
      description: `Only the roles ${allowed.join(', ')} may do this; any other key gets 403.`,
    }),
  );
}

/** A route outside /v1 that needs no key (/health, /metrics, the dashboard's static files). */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_KEY, 'public'), ApiExtension('x-roles', ['public']));
}
