import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this process in leases and claims: host, pid and a random suffix (pids are reused). */
export function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
