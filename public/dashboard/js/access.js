import { api } from './api.js';

/**
 * What the key may do, from `GET /v1/me`: its role and the operations it may call, read by the
 * service from the same route rules it enforces. Views ask `can('POST', '/campaigns/{id}/start')`
 * (paths as the OpenAPI document writes them, without `/v1`) and draw only what is allowed; the
 * API refuses the rest anyway.
 */
let me = null;
let allowed = new Set();

export async function loadAccess() {
  me = await api('GET', '/me');
  allowed = new Set(me.permissions ?? []);
  return me;
}

export function forgetAccess() {
  me = null;
  allowed = new Set();
}

export const currentKey = () => me;

export function can(method, path) {
  return allowed.has(`${method} /v1${path}`);
}
