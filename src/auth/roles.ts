/**
 * The four roles a key may have. `admin` may do everything; the others get exactly the routes
 * whose `@Roles(...)` names them (README, "Roles").
 */
export const ROLES = ['admin', 'manager', 'viewer', 'compliance'] as const;
export type Role = (typeof ROLES)[number];

/** Who a request acts as: the key that authenticated it. */
export interface Actor {
  /** The key's row id, or `env:<hash prefix>` for a key from API_KEYS. */
  keyId: string;
  keyName: string;
  role: Role;
}

/** The actor of work no request asked for (the retention purge). */
export const SYSTEM_ACTOR = { keyId: null, keyName: 'system', role: 'system' } as const;
