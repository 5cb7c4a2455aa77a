import { Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_KEY, type Access } from '../auth/roles.decorator';
import type { Role } from '../auth/roles';

/** One /v1 operation as the OpenAPI document names it (`POST /v1/campaigns/{id}/start`). */
export type Operation = string;

function openApiPath(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `{${seg.slice(1)}}` : seg))
    .join('/');
  return `/${joined}`;
}

/**
 * The operations each role may call, read once from the same `@Roles(...)` metadata RolesGuard
 * enforces, so what `/v1/me` tells the dashboard cannot drift from what the API allows.
 */
@Injectable()
export class AccessCatalog implements OnApplicationBootstrap {
  private readonly byRole = new Map<Role, Operation[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const found: { operation: Operation; access: readonly Role[] }[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type) continue;
      const prefix = (Reflect.getMetadata(PATH_METADATA, type) as string | undefined) ?? '';
      const proto = type.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const paths = [Reflect.getMetadata(PATH_METADATA, handler) ?? ''].flat() as string[];
        const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
          handler as () => void,
          type,
        ]);
        if (!access || access === 'public') continue;
        for (const path of paths) {
          const operation = `${RequestMethod[method]} ${openApiPath(prefix, path)}`;
          if (operation.includes(' /v1/')) found.push({ operation, access });
        }
      }
    }
    found.sort((a, b) => a.operation.localeCompare(b.operation));
    for (const { operation, access } of found) {
      for (const role of access)
        this.byRole.set(role, [...(this.byRole.get(role) ?? []), operation]);
    }
  }

  /** Every operation `role` may call, sorted. */
  operationsOf(role: Role): Operation[] {
    return this.byRole.get(role) ?? [];
  }
}
